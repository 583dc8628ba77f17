import { beforeEach, describe, expect, it } from "vitest";
import type { ShopperRewardsView } from "~/domain/loyalty/rewards-view";
import { loader } from "~/routes/api.customer-account.rewards";
import { callHandler } from "../support/handlers";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { addReward, earnPoints, pointsAvailableAtOnce, rewardsRequest } from "../support/rewards";
import { installNewShop } from "../support/sessions";

/**
 * What the customer account extension's Rewards page reads (GET /api/customer-account/rewards): the next tier and
 * how far the shopper is, the perks, and each reward's value as numbers the extension words in the shopper's language.
 */

const CUSTOMER = "601";
const storeOf = (shop: string) => shop.replace(".myshopify.com", "");

async function view(shop: string, customerId = CUSTOMER): Promise<ShopperRewardsView> {
  const response = await callHandler(loader, await rewardsRequest(storeOf(shop), customerId, { method: "GET" }));
  expect(response.status).toBe(200);
  return JSON.parse(response.text) as ShopperRewardsView;
}

beforeEach(() => resetSurveyRateLimits());

describe("GET /api/customer-account/rewards: tier progress", () => {
  it("gives the next tier, its perks, the shopper's spend, the current and next thresholds and what is left", async () => {
    // GIVEN the default programme (lifetime spend: Bronze 0, Silver $250, Gold $1,000) and a shopper who spent $600
    const shop = await installNewShop("rewards-shopper");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 600);

    const body = await view(shop);

    expect(body.balance).toBe(600);
    expect(body.tier).toEqual({ name: "Silver", perks: { text: "5% off every order", discountPercent: 5, freeShipping: false } });
    expect(body.next).toEqual({
      name: "Gold",
      perks: { text: "10% off every order and free shipping", discountPercent: 10, freeShipping: true },
      basis: "spend",
      value: 60_000,
      from: 25_000,
      threshold: 100_000,
      remaining: 40_000,
    });
  });

  it("a shopper with no orders is on the way to Silver from zero; at the top tier there is no next tier", async () => {
    const shop = await installNewShop("rewards-shopper");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, "602", 1200);

    const newcomer = await view(shop, "603");
    expect(newcomer.tier).toBeNull();
    expect(newcomer.next).toMatchObject({ name: "Silver", value: 0, from: 0, threshold: 25_000, remaining: 25_000 });

    const top = await view(shop, "602");
    expect(top.tier?.name).toBe("Gold");
    expect(top.next).toBeNull();
  });

  it("each reward carries its amount, percent and minimum order as numbers beside the English value text", async () => {
    const shop = await installNewShop("rewards-shopper");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 300);
    const amount = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5", minimum: "20" });
    const percent = await addReward(shop, { title: "10% off", kind: "percentage", pointsCost: "200", percent: "10" });

    const body = await view(shop);

    expect(body.rewards).toEqual([
      {
        id: amount,
        title: "$5 off",
        kind: "fixed_amount",
        pointsCost: 500,
        amountMinor: 500,
        percent: null,
        minimumMinor: 2000,
        valueText: "$5.00 off orders of $20.00 or more",
        validityDays: 30,
        affordable: false,
      },
      { id: percent, title: "10% off", kind: "percentage", pointsCost: 200, amountMinor: null, percent: 10, minimumMinor: null, valueText: "10% off", validityDays: 30, affordable: true },
    ]);
  });
});
