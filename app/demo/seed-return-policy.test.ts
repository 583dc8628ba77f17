import { describe, expect, it } from "vitest";
import { validateReturnPolicy } from "~/domain/returns/policy";
import { policySummary } from "~/domain/returns/policy-text";
import { storedPolicyText } from "~/domain/returns/stored";
import { versionInForce } from "~/domain/returns/versions";
import { generateDemoHistory } from "./seed-data";
import { planDemoReturnPolicy } from "./seed-return-policy";

const now = new Date("2026-11-29T12:00:00Z");
const plan = planDemoReturnPolicy({ now });

describe("the demo's return policy", () => {
  it("is two different valid versions, saved in order before now, the second published after it was saved", () => {
    expect(plan.versions).toHaveLength(2);
    for (const { policy } of plan.versions) {
      const checked = validateReturnPolicy(policy);
      expect(checked.ok && storedPolicyText(checked.policy)).toBe(storedPolicyText(policy));
    }
    const [first, second] = plan.versions;
    expect(storedPolicyText(first!.policy)).not.toBe(storedPolicyText(second!.policy));
    expect(first!.at.getTime()).toBeLessThan(second!.at.getTime());
    expect(plan.publishAt.getTime()).toBeGreaterThan(second!.at.getTime());
    expect(plan.publishAt.getTime()).toBeLessThan(now.getTime());
    expect(policySummary(second!.policy, { locale: "en", currency: "USD" })).toBe("Free returns within 30 days of delivery");
  });

  it("judges the seeded orders by both versions, and names the catalogue's final-sale tags", () => {
    const placed = generateDemoHistory({ now })
      .filter((e) => e.topic === "orders/create")
      .map((e) => new Date((e.payload as { processed_at: string }).processed_at));
    const stamps = plan.versions.map((v, i) => ({ version: i + 1, createdAt: v.at }));
    const judged = new Set(placed.map((at) => versionInForce(stamps, at)!.version));
    expect(judged).toEqual(new Set([1, 2]));
    expect(plan.versions[1]!.policy.finalSaleTags.map((t) => t.toLowerCase())).toEqual(["final sale", "final-sale"]);
  });
});
