import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { action, loader } from "~/routes/app.loyalty/route";
import { callHandler } from "../support/handlers";
import { installNewShop, adminRequest } from "../support/sessions";
import { postJson } from "../support/shop-seed";

/**
 * The rewards catalogue on the Loyalty page: added and edited through the page's action with App Bridge's session
 * token, validated on the server with the editor's own messages, listed by the page's loader, scoped to the shop.
 */

const storeOf = (shop: string) => shop.replace(".myshopify.com", "");

async function newShop(currency: string) {
  const shop = await installNewShop("catalogue");
  await prisma.shop.create({ data: { shop, name: "Catalogue", currency, timezone: "UTC" } });
  return shop;
}

const saveReward = async (shop: string, form: Record<string, unknown>, rewardId?: number) =>
  callHandler(action, await postJson(storeOf(shop), "/app/loyalty", { intent: "save-reward", ...(rewardId === undefined ? {} : { rewardId }), form }));

async function page(shop: string) {
  const result = await callHandler(loader, await adminRequest(storeOf(shop), "/app/loyalty"));
  expect(result.status).toBe(200);
  return (result.value as { rewards: Record<string, unknown>[] }).rewards;
}

const fiveOff = { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5", minimum: "", validityDays: "30", enabled: true };

describe("the rewards catalogue", () => {
  it("adds a reward, lists it with what it gives, and stores exact minor units with the stated defaults", async () => {
    const shop = await newShop("USD");

    const saved = await saveReward(shop, { ...fiveOff, minimum: "25.50" });

    expect(saved.status).toBe(200);
    const { rewardId } = saved.value as { ok: true; rewardId: number };
    const row = await prisma.reward.findUniqueOrThrow({ where: { id: rewardId } });
    expect(row).toMatchObject({
      shop,
      title: "$5 off",
      kind: "fixed_amount",
      pointsCost: 500,
      amountMinor: 500n,
      percent: null,
      minimumMinor: 2550n,
      currency: "USD",
      enabled: true,
      validityDays: 30,
      combinesWithOrder: true,
      combinesWithProduct: true,
      combinesWithShipping: true,
    });
    expect(await page(shop)).toEqual([
      expect.objectContaining({ id: rewardId, title: "$5 off", pointsCost: 500, amountMinor: 500, minimumMinor: 2550, valueText: "$5.00 off orders of $25.50 or more", enabled: true }),
    ]);
  });

  it("reads amounts in the shop's currency: yen have no decimals", async () => {
    const shop = await newShop("JPY");
    const refused = await saveReward(shop, { ...fiveOff, amount: "500.5" });
    expect(refused.status).toBe(400);
    expect(refused.value).toEqual({ ok: false, errors: { amount: "Enter the amount off as a whole number of JPY" } });
    expect((await saveReward(shop, { ...fiveOff, amount: "500" })).status).toBe(200);
    expect(await page(shop)).toMatchObject([{ amountMinor: 500, currency: "JPY", valueText: "¥500 off" }]);
  });

  it("refuses an invalid reward with the editor's message per field, and stores nothing", async () => {
    const shop = await newShop("USD");
    const result = await saveReward(shop, { title: "", kind: "percentage", pointsCost: "0", percent: "150", validityDays: "400" });
    expect(result.status).toBe(400);
    expect(result.value).toEqual({
      ok: false,
      errors: {
        title: "Give the reward a name shoppers will see",
        pointsCost: "The points cost must be at least 1",
        percent: "The percentage can be at most 100",
        validityDays: "The number of days a code stays valid can be at most 365",
      },
    });
    expect(await prisma.reward.count({ where: { shop } })).toBe(0);
  });

  it("edits a reward and switches it off and on; an id of another shop is 404 and changes nothing", async () => {
    const shop = await newShop("USD");
    const other = await newShop("USD");
    const mine = (await saveReward(shop, fiveOff)).value as { rewardId: number };
    const theirs = (await saveReward(other, fiveOff)).value as { rewardId: number };

    const edited = await saveReward(shop, { ...fiveOff, title: "Free shipping", kind: "free_shipping", pointsCost: "300", combinesWithShipping: true }, mine.rewardId);
    expect(edited.status).toBe(200);
    expect(await page(shop)).toMatchObject([{ id: mine.rewardId, title: "Free shipping", kind: "free_shipping", amountMinor: null, currency: null, valueText: "Free shipping" }]);

    expect((await saveReward(shop, { ...fiveOff, title: "Free shipping", kind: "free_shipping", pointsCost: "300", enabled: false }, mine.rewardId)).status).toBe(200);
    expect(await page(shop)).toMatchObject([{ enabled: false }]);

    const foreign = await saveReward(shop, { ...fiveOff, title: "Hijack" }, theirs.rewardId);
    expect(foreign.status).toBe(404);
    expect(foreign.value).toEqual({ ok: false, errors: { reward: "This reward does not exist" } });
    expect(await page(other)).toMatchObject([{ title: "$5 off", enabled: true }]);
    expect(await page(shop)).toHaveLength(1);
  });

  it("refuses a reward id that is not a whole number", async () => {
    const shop = await newShop("USD");
    const result = await callHandler(action, await postJson(storeOf(shop), "/app/loyalty", { intent: "save-reward", rewardId: "1", form: fiveOff }));
    expect(result.status).toBe(400);
    expect(result.value).toEqual({ ok: false, errors: { reward: "Unknown reward" } });
  });
});
