import { DEFAULT_RETURN_POLICY, type ReturnPolicy } from "~/domain/returns/policy";

/**
 * The demo shop's return policy history: the policy it opened with, and the one it changed to later (free return
 * shipping and store credit with a bonus), which is the version published. Orders placed before the change are judged
 * by the first version, later ones by the second, so the customer pages show both.
 */
interface SeedPolicyVersion {
  policy: ReturnPolicy;
  savedBy: string;
  at: Date;
}

const DAY = 86_400_000;

export function planDemoReturnPolicy({ now }: { now: Date }): { versions: SeedPolicyVersion[]; publishAt: Date } {
  const first: ReturnPolicy = {
    ...DEFAULT_RETURN_POLICY,
    windowDays: 30,
    windowStart: "delivery",
    shipping: { kind: "customer" },
    restockingFeePercent: 10,
    finalSaleTags: ["Final Sale"],
  };
  const second: ReturnPolicy = {
    ...first,
    shipping: { kind: "free" },
    restockingFeePercent: 0,
    storeCredit: { offered: true, bonusPercent: 10 },
    finalSaleTags: ["Final Sale", "final-sale"],
    conditions: { unused: true, originalPackaging: false, tagsAttached: true },
    note: "Returning a gift? Include the gift receipt and we will refund the value as store credit to you, not the buyer.",
  };
  const changedAt = new Date(now.getTime() - 45 * DAY);
  return {
    versions: [
      { policy: first, savedBy: "Camille Martin", at: new Date(now.getTime() - 210 * DAY) },
      { policy: second, savedBy: "Jonas Weber", at: changedAt },
    ],
    publishAt: new Date(changedAt.getTime() + 2 * 60 * 60 * 1000),
  };
}
