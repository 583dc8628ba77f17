import { describe, expect, it } from "vitest";
import { validateRewardForm, rewardFormFrom } from "~/domain/loyalty/rewards";
import { DEMO_REWARDS, planDemoRedemptions } from "./seed-rewards";

const NOW = new Date("2026-12-03T12:00:00.000Z");

describe("the demo shop's rewards", () => {
  it("are all valid as the editor would post them", () => {
    for (const reward of DEMO_REWARDS) expect(validateRewardForm(rewardFormFrom(reward), "USD").ok, reward.title).toBe(true);
  });

  it("are redeemed by the customers holding the most points, each the dearest reward their balance pays for, days apart", () => {
    const customers = [
      { id: "10", balance: 400 },
      { id: "11", balance: 2500 },
      { id: "12", balance: 1100 },
      { id: "09", balance: 1100 },
      { id: "13", balance: 50 },
    ];
    expect(planDemoRedemptions(customers, { now: NOW })).toEqual([
      { customerId: "11", reward: 1, at: new Date("2026-12-01T12:00:00.000Z"), key: "demo-redeem-11" },
      { customerId: "09", reward: 2, at: new Date("2026-11-28T12:00:00.000Z"), key: "demo-redeem-09" },
      { customerId: "12", reward: 2, at: new Date("2026-11-25T12:00:00.000Z"), key: "demo-redeem-12" },
    ]);
  });

  it("skips a chosen customer whose balance pays for nothing", () => {
    expect(planDemoRedemptions([{ id: "1", balance: 299 }, { id: "2", balance: 300 }], { now: NOW, count: 2 })).toEqual([
      { customerId: "2", reward: 3, at: new Date("2026-12-01T12:00:00.000Z"), key: "demo-redeem-2" },
    ]);
  });
});
