import type { RewardDefinition } from "./rewards";

/**
 * The shopper's rewards as `GET /api/customer-account/rewards` answers them: built by services/rewards.server.ts,
 * read by the customer account extension (extensions/customer-account-rewards). One definition for both sides,
 * dependency-free (no zod) so the extension bundles it.
 */

export interface ShopperPerks {
  /** The merchant's perk text (their language). */
  text: string;
  discountPercent: number | null;
  freeShipping: boolean;
}

type ShopperRedemptionStatus = "pending" | "issued" | "refused" | "used" | "expired";

export interface ShopperRedemption {
  id: string;
  rewardId: number;
  title: string;
  points: number;
  /** Shown only once Shopify holds the code (issued or used). */
  code: string | null;
  status: ShopperRedemptionStatus;
  reason: string | null;
  expiresAt: string;
  createdAt: string;
}

export interface ShopperRewardsView {
  currency: string;
  /** Points available; below zero the shopper owes points (a refund after spending), never an error. */
  balance: number;
  /** Points earned on orders still inside their return window: not spendable yet (docs/decisions/043-pending-points.md). */
  pending: number;
  /** When the next pending points become available (ISO instant); null when none are pending. */
  pendingAvailableAt: string | null;
  tier: { name: string; perks: ShopperPerks } | null;
  /**
   * The next tier up: what qualifies (`basis`: spend in minor units of `currency`, or orders), the shopper's value
   * now, the current tier's threshold (`from`, 0 below every tier), the next one's and what is left; null at the top.
   */
  next: { name: string; perks: ShopperPerks; basis: "spend" | "orders"; value: number; from: number; threshold: number; remaining: number } | null;
  /** Each reward as the catalogue defines it (amounts in minor units of the shop currency, percent whole). */
  rewards: (Pick<RewardDefinition, "title" | "kind" | "pointsCost" | "amountMinor" | "percent" | "minimumMinor"> & {
    id: number;
    /** In English, for a shopper whose language the extension has no words for. */
    valueText: string;
    validityDays: number;
    affordable: boolean;
  })[];
  /** Issued codes not yet used or past their end. */
  codes: ShopperRedemption[];
  redemptions: ShopperRedemption[];
  /** `availableAt`: for points still pending, when they become available (ISO); else null. */
  history: { at: string; kind: string; points: number; orderName: string | null; availableAt: string | null }[];
}

/** How far the shopper has come from the current tier's threshold to the next one's, 0 to 1 (a progress bar's value). */
export function tierProgress(next: Pick<NonNullable<ShopperRewardsView["next"]>, "value" | "from" | "threshold">): number {
  const span = next.threshold - next.from;
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, (next.value - next.from) / span));
}
