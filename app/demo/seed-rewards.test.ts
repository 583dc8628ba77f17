import { describe, expect, it } from "vitest";
import { validateRewardForm, rewardFormFrom } from "~/domain/loyalty/rewards";
import { parseOrderPayload } from "~/domain/orders/order-payload";
import { DEMO_REWARDS, demoOrderUsingCode, planDemoRedemptions } from "./seed-rewards";

const NOW = new Date("2026-12-03T12:00:00.000Z");

describe("the demo shop's rewards", () => {
  it("are all valid as the editor would post them", () => {
    for (const reward of DEMO_REWARDS) expect(validateRewardForm(rewardFormFrom(reward), "USD").ok, reward.title).toBe(true);
  });

  it("are redeemed by the customers holding the most points, days apart: the first code used the next day, the fourth left to expire", () => {
    const customers = [
      { id: "10", balance: 400 },
      { id: "11", balance: 2500 },
      { id: "12", balance: 1100 },
      { id: "09", balance: 1100 },
      { id: "13", balance: 50 },
    ];
    expect(planDemoRedemptions(customers, { now: NOW })).toEqual([
      { customerId: "11", reward: 1, at: new Date("2026-12-01T12:00:00.000Z"), key: "demo-redeem-11", fate: "used", usedAt: new Date("2026-12-02T12:00:00.000Z") },
      { customerId: "09", reward: 2, at: new Date("2026-11-28T12:00:00.000Z"), key: "demo-redeem-09", fate: "unused" },
      { customerId: "12", reward: 2, at: new Date("2026-11-25T12:00:00.000Z"), key: "demo-redeem-12", fate: "unused" },
      // Free shipping (valid 14 days) 20 days ago: ended 6 days ago, 4 days past the sweep's two-day grace.
      { customerId: "10", reward: 3, at: new Date("2026-11-13T12:00:00.000Z"), key: "demo-redeem-10", fate: "expired" },
    ]);
  });

  it("skips a chosen customer whose balance pays for nothing", () => {
    expect(planDemoRedemptions([{ id: "1", balance: 299 }, { id: "2", balance: 300 }], { now: NOW, count: 2 })).toEqual([
      { customerId: "2", reward: 3, at: new Date("2026-12-01T12:00:00.000Z"), key: "demo-redeem-2", fate: "used", usedAt: new Date("2026-12-02T12:00:00.000Z") },
    ]);
    expect(planDemoRedemptions([{ id: "1", balance: 900 }, { id: "2", balance: 800 }, { id: "3", balance: 700 }, { id: "4", balance: 299 }], { now: NOW })).toHaveLength(3);
  });

  it("the order that uses a code is an orders/create payload the ingest reads: the code as typed, the amount off the items", () => {
    const customer = { id: "7000000011", firstName: "Ana", lastName: "Diaz", email: "ana@example.com" };
    const at = new Date("2026-12-02T12:00:00.000Z");
    const order = parseOrderPayload(demoOrderUsingCode({ customer, code: "AG-ABCD-EFGH", reward: 1, at, number: 0 }));
    expect(order).toMatchObject({
      id: "5600900000000",
      name: "#9001",
      totalMinor: 14700,
      currency: "USD",
      placedAt: at,
      discountCodes: ["AG-ABCD-EFGH"],
      customer: { id: "7000000011", firstName: "Ana", lastName: "Diaz", email: "ana@example.com" },
    });
    expect(demoOrderUsingCode({ customer, code: "AG-ABCD-EFGH", reward: 2, at, number: 1 })).toMatchObject({
      id: "5600900000001",
      total_price: "145.80",
      discount_codes: [{ code: "ag-abcd-efgh", amount: "16.20", type: "percentage" }],
    });
    expect(demoOrderUsingCode({ customer, code: "AG-ABCD-EFGH", reward: 3, at, number: 2 })).toMatchObject({
      total_price: "162.00",
      discount_codes: [{ code: "ag-abcd-efgh", amount: "0.00", type: "shipping" }],
    });
  });
});
