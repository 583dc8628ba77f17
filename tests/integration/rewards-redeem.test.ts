import { beforeEach, describe, expect, it, vi } from "vitest";
import * as db from "~/db.server";
import { prisma } from "~/db.server";
import { action, loader } from "~/routes/api.customer-account.rewards";
import { action as customerPageAction, loader as customerPageLoader } from "~/routes/app.customers.$id/route";
import { recordingGraphql } from "~/demo/admin-recorder.server";
import { redeemReward } from "~/services/rewards.server";
import { adminCalls, failAdminOperation, stubAdminOperation, type AdminCall } from "../support/admin-api";
import { flightsDuring } from "../support/flights";
import { callHandler } from "../support/handlers";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { addReward, earnPoints, pointsAvailableAtOnce, pointsOf, rewardsRequest } from "../support/rewards";
import { adminRequest, installNewShop } from "../support/sessions";
import { postForm } from "../support/shop-seed";

/**
 * A shopper redeems a reward from their customer account: the points and the pending redemption commit together,
 * then Shopify creates a single-use code for that customer only. Real session tokens, real handlers, real PostgreSQL;
 * only the Admin API is stubbed, and the documents sent to it are asserted.
 */

const CUSTOMER = "501";
const CODE = /^AG-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const DAY = 86_400_000;

const storeOf = (shop: string) => shop.replace(".myshopify.com", "");

async function redeem(shop: string, body: unknown, customerId: string | null = CUSTOMER) {
  return callHandler(action, await rewardsRequest(storeOf(shop), customerId, { body }));
}

async function view(shop: string, customerId: string | null = CUSTOMER) {
  return callHandler(loader, await rewardsRequest(storeOf(shop), customerId, { method: "GET" }));
}

/** Shopify creates every code it is sent (ids in order). */
function shopifyCreatesCodes() {
  let n = 0;
  const created = new Map<string, string>();
  stubAdminOperation("AfterglowRewardCodeBasicCreate", (call) => {
    const id = `gid://shopify/DiscountCodeNode/${++n}`;
    created.set(String((call.variables?.basicCodeDiscount as { code: string }).code), id);
    return { discountCodeBasicCreate: { codeDiscountNode: { id }, userErrors: [] } };
  });
  stubAdminOperation("AfterglowRewardCodeFreeShippingCreate", (call) => {
    const id = `gid://shopify/DiscountCodeNode/${++n}`;
    created.set(String((call.variables?.freeShippingCodeDiscount as { code: string }).code), id);
    return { discountCodeFreeShippingCreate: { codeDiscountNode: { id }, userErrors: [] } };
  });
  stubAdminOperation("AfterglowRewardCodeByCode", (call) => {
    const id = created.get(String(call.variables?.code));
    return { codeDiscountNodeByCode: id ? { id } : null };
  });
  return created;
}

const calls = (operation: string): AdminCall[] => adminCalls.filter((c) => c.operation === operation);

async function redemptions(shop: string) {
  return prisma.rewardRedemption.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
}

beforeEach(() => resetSurveyRateLimits());

describe("POST /api/customer-account/rewards: redeem", () => {
  it("debits the points, creates a code for that customer only (exact document), and answers 201 with the code", async () => {
    // GIVEN a customer with 600 points and a $5 off reward for 500 points (minimum order $20)
    const shop = await installNewShop("redeem");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 600);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5", minimum: "20" });
    shopifyCreatesCodes();

    // WHEN the shopper redeems it
    const response = await redeem(shop, { rewardId, idempotencyKey: "click-0001" });

    // THEN 201 with an issued code, and 100 points left
    expect(response.status).toBe(201);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const body = JSON.parse(response.text) as { redemption: Record<string, unknown>; balance: number };
    expect(body.balance).toBe(100);
    expect(body.redemption).toMatchObject({ rewardId, title: "$5 off", points: 500, status: "issued", reason: null });
    const code = String(body.redemption.code);
    expect(code).toMatch(CODE);

    // AND Shopify was sent exactly this document: the code chosen by the app, only customer 501, once, 30 days
    const [create] = calls("AfterglowRewardCodeBasicCreate");
    expect(calls("AfterglowRewardCodeBasicCreate")).toHaveLength(1);
    expect(create!.shop).toBe(shop);
    const input = create!.variables!.basicCodeDiscount as Record<string, string>;
    expect(create!.variables).toEqual({
      basicCodeDiscount: {
        title: `$5 off (${code})`,
        code,
        startsAt: input.startsAt,
        endsAt: new Date(Date.parse(input.startsAt!) + 30 * DAY).toISOString(),
        context: { customers: { add: ["gid://shopify/Customer/501"] } },
        usageLimit: 1,
        appliesOncePerCustomer: true,
        minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: "20.00" } },
        customerGets: { value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } },
        combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: true },
      },
    });
    expect(create!.query).toContain("discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount)");
    expect(calls("AfterglowRewardCodeByCode")).toHaveLength(0);

    // AND the redemption row and its ledger debit
    const [row] = await redemptions(shop);
    expect(row).toMatchObject({ customerId: CUSTOMER, rewardId, code, status: "issued", discountId: "gid://shopify/DiscountCodeNode/1", points: 500 });
    expect(await pointsOf(shop, CUSTOMER)).toEqual({ balance: 100, ledger: [{ kind: "redemption", points: -500, sourceKey: `redeem:${row!.id}` }] });
  });

  it("sends a percentage as Shopify's fraction and free shipping through its own mutation, never combined with another shipping discount", async () => {
    const shop = await installNewShop("redeem");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 1000);
    const percent = await addReward(shop, { title: "15% off", kind: "percentage", pointsCost: "300", percent: "15", combinesWithProduct: false });
    const shipping = await addReward(shop, { title: "Free shipping", kind: "free_shipping", pointsCost: "200", validityDays: "7" });
    shopifyCreatesCodes();

    expect((await redeem(shop, { rewardId: percent, idempotencyKey: "click-pct-1" })).status).toBe(201);
    expect((await redeem(shop, { rewardId: shipping, idempotencyKey: "click-ship-1" })).status).toBe(201);

    const basic = calls("AfterglowRewardCodeBasicCreate")[0]!.variables!.basicCodeDiscount as Record<string, unknown>;
    expect(basic.customerGets).toEqual({ value: { percentage: 0.15 }, items: { all: true } });
    expect(basic.minimumRequirement).toBeNull();
    expect(basic.combinesWith).toEqual({ orderDiscounts: true, productDiscounts: false, shippingDiscounts: true });
    const free = calls("AfterglowRewardCodeFreeShippingCreate")[0]!.variables!.freeShippingCodeDiscount as Record<string, string>;
    expect(free).toEqual({
      title: `Free shipping (${free.code})`,
      code: free.code,
      startsAt: free.startsAt,
      endsAt: new Date(Date.parse(free.startsAt!) + 7 * DAY).toISOString(),
      context: { customers: { add: ["gid://shopify/Customer/501"] } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
      minimumRequirement: null,
      destination: { all: true },
      combinesWith: { orderDiscounts: true, productDiscounts: true, shippingDiscounts: false },
    });
    expect((await pointsOf(shop, CUSTOMER)).balance).toBe(500);
  });

  it("answers a retried click (same idempotency key) with the first redemption: one code, one debit", async () => {
    const shop = await installNewShop("redeem");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 1200);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    shopifyCreatesCodes();

    const first = await redeem(shop, { rewardId, idempotencyKey: "same-click-1" });
    const again = await redeem(shop, { rewardId, idempotencyKey: "same-click-1" });

    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    const a = JSON.parse(first.text) as { redemption: { id: string; code: string } };
    const b = JSON.parse(again.text) as { redemption: { id: string; code: string }; balance: number };
    expect(b.redemption).toEqual(a.redemption);
    expect(b.balance).toBe(700);
    expect(calls("AfterglowRewardCodeBasicCreate")).toHaveLength(1);
    expect(await redemptions(shop)).toHaveLength(1);
    expect((await pointsOf(shop, CUSTOMER)).ledger).toHaveLength(1);

    // A new key is a new redemption.
    expect((await redeem(shop, { rewardId, idempotencyKey: "other-click-2" })).status).toBe(201);
    expect((await pointsOf(shop, CUSTOMER)).balance).toBe(200);
  });

  it("two concurrent redemptions against one balance: one is issued, the other gets 409, the balance never goes below zero", async () => {
    // GIVEN 600 points and a 500-point reward: enough for one, not two
    const shop = await installNewShop("redeem");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 600);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    shopifyCreatesCodes();

    // WHEN two clicks with different keys arrive at once (each request on its own connection and transaction)
    const results = await Promise.all([redeem(shop, { rewardId, idempotencyKey: "race-aaaa-1" }), redeem(shop, { rewardId, idempotencyKey: "race-bbbb-2" })]);

    // THEN one 201 and one 409 that says why, one code, one debit, 100 points left
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const refused = results.find((r) => r.status === 409)!;
    expect(JSON.parse(refused.text)).toEqual({ errors: { points: "This reward costs 500 points; you have 100." }, balance: 100 });
    expect(calls("AfterglowRewardCodeBasicCreate")).toHaveLength(1);
    expect(await pointsOf(shop, CUSTOMER)).toMatchObject({ balance: 100 });
    expect((await pointsOf(shop, CUSTOMER)).ledger).toHaveLength(1);
  });

  it("ten concurrent redemptions of one key are one redemption: one code, one debit", async () => {
    const shop = await installNewShop("redeem");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 5000);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    shopifyCreatesCodes();

    const results = await Promise.all(Array.from({ length: 10 }, () => redeem(shop, { rewardId, idempotencyKey: "many-same-key" })));

    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    // The others answer the first's redemption as it stood when they read it: issued (200), or still waiting for
    // Shopify's answer (202, no code shown yet).
    for (const r of results.filter((r) => r.status !== 201)) {
      expect([200, 202]).toContain(r.status);
      const { redemption } = JSON.parse(r.text) as { redemption: { status: string; code: string | null } };
      expect(redemption.status).toBe(r.status === 200 ? "issued" : "pending");
      if (r.status === 202) expect(redemption.code).toBeNull();
    }
    expect(new Set(results.map((r) => (JSON.parse(r.text) as { redemption: { id: string } }).redemption.id)).size).toBe(1);
    expect(calls("AfterglowRewardCodeBasicCreate")).toHaveLength(1);
    expect((await pointsOf(shop, CUSTOMER)).balance).toBe(4500);
  });

  it("a Shopify refusal gives the points back and shows Shopify's reason (422)", async () => {
    const shop = await installNewShop("redeem");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 600);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    stubAdminOperation("AfterglowRewardCodeBasicCreate", () => ({
      discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }] },
    }));

    const response = await redeem(shop, { rewardId, idempotencyKey: "refused-001" });

    expect(response.status).toBe(422);
    const body = JSON.parse(response.text) as { errors: { reward: string }; redemption: Record<string, unknown>; balance: number };
    expect(body.errors).toEqual({ reward: "TAKEN basicCodeDiscount.code Code must be unique. Please try a different code." });
    expect(body.redemption).toMatchObject({ status: "refused", code: null });
    expect(body.balance).toBe(600);
    const [row] = await redemptions(shop);
    expect(row).toMatchObject({ status: "refused", reason: "TAKEN basicCodeDiscount.code Code must be unique. Please try a different code.", discountId: null });
    expect(await pointsOf(shop, CUSTOMER)).toEqual({
      balance: 600,
      ledger: [
        { kind: "redemption", points: -500, sourceKey: `redeem:${row!.id}` },
        { kind: "redemption-reversal", points: 500, sourceKey: `redeem-reversal:${row!.id}` },
      ],
    });
    // The refused code is never looked up: Shopify said what happened.
    expect(calls("AfterglowRewardCodeByCode")).toHaveLength(0);
    // Retrying the same click answers the refusal again, and takes nothing.
    expect((await redeem(shop, { rewardId, idempotencyKey: "refused-001" })).status).toBe(422);
    expect((await pointsOf(shop, CUSTOMER)).balance).toBe(600);
  });

  it("no answer from Shopify, but the code was created: the lookup finds it, the code is issued and the points stay spent", async () => {
    const shop = await installNewShop("redeem");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 600);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    // Shopify created the code, but its answer never reached the app (the connection dropped): the call fails, and a
    // lookup by the code finds it.
    failAdminOperation("AfterglowRewardCodeBasicCreate", { network: true });
    const sent: string[] = [];
    stubAdminOperation("AfterglowRewardCodeByCode", (call) => {
      sent.push(String(call.variables?.code));
      return { codeDiscountNodeByCode: { id: "gid://shopify/DiscountCodeNode/77" } };
    });

    const response = await redeem(shop, { rewardId, idempotencyKey: "lost-answer-1" });

    expect(response.status).toBe(201);
    const [row] = await redemptions(shop);
    expect(row).toMatchObject({ status: "issued", discountId: "gid://shopify/DiscountCodeNode/77" });
    expect(sent).toEqual([row!.code]);
    expect(calls("AfterglowRewardCodeByCode")[0]!.query).toContain("codeDiscountNodeByCode(code: $code)");
    expect(await pointsOf(shop, CUSTOMER)).toEqual({ balance: 100, ledger: [{ kind: "redemption", points: -500, sourceKey: `redeem:${row!.id}` }] });
  });

  it("no answer from Shopify and no code in Shopify: the points come back and the shopper is told to try again", async () => {
    const shop = await installNewShop("redeem");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 600);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    shopifyCreatesCodes();
    failAdminOperation("AfterglowRewardCodeBasicCreate", { network: true });

    const response = await redeem(shop, { rewardId, idempotencyKey: "lost-call-01" });

    expect(response.status).toBe(422);
    expect(JSON.parse(response.text)).toMatchObject({ errors: { reward: "Shopify could not be reached; your points are back. Please try again." }, balance: 600 });
    const [row] = await redemptions(shop);
    expect(calls("AfterglowRewardCodeByCode").map((c) => c.variables)).toEqual([{ code: row!.code }]);
    expect(row).toMatchObject({ status: "refused", discountId: null });
    expect((await pointsOf(shop, CUSTOMER)).balance).toBe(600);
  });

  it("an answer that takes too long: the lookup decides; a code created late is issued when its answer comes, never given back", async () => {
    const shop = await installNewShop("redeem");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 600);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    stubAdminOperation("AfterglowRewardCodeBasicCreate", async () => {
      await answered;
      return { discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/88" }, userErrors: [] } };
    });
    stubAdminOperation("AfterglowRewardCodeByCode", () => ({ codeDiscountNodeByCode: null }));

    // WHEN Shopify has not answered within the wait, and a lookup does not find the code (yet)
    const result = await redeemReward(shop, CUSTOMER, rewardId, "slow-call-001", { timeoutMs: 50 });

    // THEN the redemption stays pending, its points spent (the call may still create the code)
    expect(result).toMatchObject({ outcome: "redeemed", redemption: { status: "pending", code: null } });
    expect((await pointsOf(shop, CUSTOMER)).balance).toBe(100);

    // WHEN Shopify's answer finally comes: the code exists, the redemption is issued, the points stay spent
    answer();
    await expect.poll(async () => (await redemptions(shop))[0]?.status, { timeout: 5000 }).toBe("issued");
    expect((await redemptions(shop))[0]).toMatchObject({ discountId: "gid://shopify/DiscountCodeNode/88" });
    expect(await pointsOf(shop, CUSTOMER)).toMatchObject({ balance: 100 });
  });

  it("an answer that takes too long, and the code is there: the lookup issues it at once", async () => {
    const shop = await installNewShop("redeem");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 600);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    stubAdminOperation("AfterglowRewardCodeBasicCreate", async () => {
      await answered;
      return { discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/99" }, userErrors: [] } };
    });
    stubAdminOperation("AfterglowRewardCodeByCode", () => ({ codeDiscountNodeByCode: { id: "gid://shopify/DiscountCodeNode/99" } }));

    const result = await redeemReward(shop, CUSTOMER, rewardId, "slow-call-002", { timeoutMs: 50 });

    expect(result).toMatchObject({ outcome: "redeemed", redemption: { status: "issued" } });
    answer();
    // The late answer finds it issued already: nothing changes, nothing is given back.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await redemptions(shop))[0]).toMatchObject({ status: "issued", discountId: "gid://shopify/DiscountCodeNode/99" });
    expect(await pointsOf(shop, CUSTOMER)).toMatchObject({ balance: 100 });
  });

  it("refuses what the balance does not pay for (409), a switched-off or unknown reward (404), and a body naming a customer (400)", async () => {
    const shop = await installNewShop("redeem");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 100);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    const off = await addReward(shop, { title: "Off", kind: "free_shipping", pointsCost: "10", enabled: false });

    const poor = await redeem(shop, { rewardId, idempotencyKey: "poor-click-1" });
    expect(poor.status).toBe(409);
    expect(JSON.parse(poor.text)).toEqual({ errors: { points: "This reward costs 500 points; you have 100." }, balance: 100 });
    expect((await redeem(shop, { rewardId: off, idempotencyKey: "off-click-1" })).status).toBe(404);
    expect((await redeem(shop, { rewardId: 999_999, idempotencyKey: "none-click-1" })).status).toBe(404);
    const named = await redeem(shop, { rewardId, idempotencyKey: "named-click", customerId: "502" });
    expect(named.status).toBe(400);
    expect(JSON.parse(named.text)).toEqual({ errors: { customerId: "Unknown field" } });
    expect(JSON.parse((await redeem(shop, { rewardId: "1", idempotencyKey: "short" })).text)).toEqual({
      errors: { rewardId: "Expected a reward id", idempotencyKey: "Expected 8 to 100 letters, digits, - or _" },
    });
    // A customer with no orders yet has nothing to spend.
    expect((await redeem(shop, { rewardId, idempotencyKey: "new-customer" }, "777")).status).toBe(409);
    expect(adminCalls).toHaveLength(0);
    expect(await redemptions(shop)).toHaveLength(0);
  });

  it("needs a signed-in customer's valid token", async () => {
    const shop = await installNewShop("redeem");
    await pointsAvailableAtOnce(shop);
    expect((await redeem(shop, { rewardId: 1, idempotencyKey: "guest-click" }, null)).status).toBe(403);
    const forged = await callHandler(action, await rewardsRequest(storeOf(shop), CUSTOMER, { secret: "not-the-app-secret", body: {} }));
    expect(forged.status).toBe(401);
    expect(forged.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const preflight = await callHandler(loader, await rewardsRequest(storeOf(shop), null, { method: "OPTIONS", token: null }));
    expect(preflight.status).toBe(204);
  });
});

describe("redemption limits and the demo's Admin API", () => {
  it("takes at most 10 redemption requests a minute from one customer (429 with Retry-After, CORS), whatever they ask", async () => {
    const shop = await installNewShop("redeem");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 100);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    for (let i = 0; i < 10; i++) expect((await redeem(shop, { rewardId, idempotencyKey: `limit-click-${i}` })).status).toBe(409);
    const limited = await redeem(shop, { rewardId, idempotencyKey: "limit-click-10" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(limited.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(JSON.parse(limited.text)).toEqual({ errors: { request: "Too many requests, try again shortly" } });
    // Another customer of the shop is not held back by it.
    expect((await redeem(shop, { rewardId, idempotencyKey: "limit-other-1" }, "502")).status).toBe(409);
  });

  it("the demo recorder creates the code, finds it by its code, and refuses the same code twice", async () => {
    const shop = await installNewShop("redeem");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 1000);
    const rewardId = await addReward(shop, { title: "Free shipping", kind: "free_shipping", pointsCost: "300" });

    const result = await redeemReward(shop, CUSTOMER, rewardId, "demo-click-01", { graphql: recordingGraphql });

    expect(result).toMatchObject({ outcome: "redeemed", redemption: { status: "issued" }, balance: 700 });
    const [row] = await redemptions(shop);
    const lookUp = async (code: string) =>
      ((await (await recordingGraphql("query AfterglowRewardCodeByCode($code: String!) { codeDiscountNodeByCode(code: $code) { id } }", { variables: { code } })).json()) as {
        data: { codeDiscountNodeByCode: { id: string } | null };
      }).data.codeDiscountNodeByCode;
    expect(await lookUp(row!.code.toLowerCase())).toEqual({ id: row!.discountId });
    expect(await lookUp("AG-0000-0000")).toBeNull();
    const again = (await (
      await recordingGraphql("mutation AfterglowRewardCodeFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) { x }", {
        variables: { freeShippingCodeDiscount: { code: row!.code } },
      })
    ).json()) as { data: { discountCodeFreeShippingCreate: { codeDiscountNode: unknown; userErrors: { code: string }[] } } };
    expect(again.data.discountCodeFreeShippingCreate).toMatchObject({ codeDiscountNode: null, userErrors: [{ code: "TAKEN" }] });
  });
});

describe("a reward staff issue from the customer page", () => {
  const issue = async (shop: string, customerId: string, fields: Record<string, string>) =>
    callHandler(customerPageAction, await postForm(storeOf(shop), `/app/customers/${customerId}`, { intent: "issue-reward", ...fields }), { id: customerId });

  it("creates a goodwill code for that customer through the same redemption, takes no points, and records who and why", async () => {
    const shop = await installNewShop("staff-reward");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 100);
    const rewardId = await addReward(shop, { title: "$15 off", kind: "fixed_amount", pointsCost: "1500", amount: "15" });
    shopifyCreatesCodes();

    const result = await issue(shop, CUSTOMER, { rewardId: String(rewardId), reason: "Sorry for the late parcel" });

    expect(result.status).toBe(200);
    const { issued } = result.value as { issued: { code: string; status: string; points: number } };
    expect(issued).toMatchObject({ status: "issued", points: 0, title: "$15 off" });
    expect(issued.code).toMatch(CODE);
    const variables = calls("AfterglowRewardCodeBasicCreate")[0]!.variables!.basicCodeDiscount as Record<string, unknown>;
    expect(variables).toMatchObject({ code: issued.code, context: { customers: { add: ["gid://shopify/Customer/501"] } }, usageLimit: 1, appliesOncePerCustomer: true });
    // No points moved: the balance (100, below the reward's cost) and the ledger are as they were.
    expect(await pointsOf(shop, CUSTOMER)).toEqual({ balance: 100, ledger: [] });
    const [row] = await redemptions(shop);
    expect(row).toMatchObject({ points: 0, status: "issued", note: "Sorry for the late parcel", staff: expect.any(String) });

    // The customer page lists the code with who issued it and why.
    const page = await callHandler(customerPageLoader, await adminRequest(storeOf(shop), `/app/customers/${CUSTOMER}`), { id: CUSTOMER });
    expect((page.value as { rewards: unknown }).rewards).toEqual({
      offered: [{ id: rewardId, title: "$15 off", valueText: "$15.00 off" }],
      redemptions: [expect.objectContaining({ code: issued.code, status: "issued", points: 0, issuedBy: row!.staff, note: "Sorry for the late parcel" })],
    });
  });

  it("needs a reason and an offered reward of the shop; another shop's customer is 404; Shopify's refusal is 422", async () => {
    const shop = await installNewShop("staff-reward");
    await pointsAvailableAtOnce(shop);
    const other = await installNewShop("staff-reward");
    await pointsAvailableAtOnce(other);
    await earnPoints(shop, CUSTOMER, 100);
    await earnPoints(other, "503", 100);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    const off = await addReward(shop, { title: "Off", kind: "free_shipping", pointsCost: "10", enabled: false });

    const invalid = await issue(shop, CUSTOMER, { rewardId: "x", reason: " a " });
    expect(invalid.status).toBe(400);
    expect(invalid.value).toEqual({ ok: false, errors: { rewardId: "Choose a reward", reason: "Give a reason (at least 3 characters)" } });
    const switchedOff = await issue(shop, CUSTOMER, { rewardId: String(off), reason: "goodwill" });
    expect(switchedOff.value).toEqual({ ok: false, errors: { rewardId: "This reward is not offered; turn it on on the Loyalty page first" } });
    expect((await issue(shop, "503", { rewardId: String(rewardId), reason: "goodwill" })).status).toBe(404);
    expect(adminCalls).toHaveLength(0);

    stubAdminOperation("AfterglowRewardCodeBasicCreate", () => ({
      discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [{ field: null, message: "Discount could not be created", code: null }] },
    }));
    const refused = await issue(shop, CUSTOMER, { rewardId: String(rewardId), reason: "goodwill" });
    expect(refused.status).toBe(422);
    expect(refused.value).toEqual({ ok: false, errors: { reward: "Discount could not be created" } });
    expect(await pointsOf(shop, CUSTOMER)).toEqual({ balance: 100, ledger: [] });
    expect(await redemptions(shop)).toMatchObject([{ status: "refused", points: 0 }]);
  });
});

describe("GET /api/customer-account/rewards", () => {
  it("shows the balance, the enabled rewards with what the balance pays for, unused codes and history", async () => {
    const shop = await installNewShop("rewards-view");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 800);
    const cheap = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    const dear = await addReward(shop, { title: "20% off", kind: "percentage", pointsCost: "2000", percent: "20" });
    await addReward(shop, { title: "Hidden", kind: "free_shipping", pointsCost: "10", enabled: false });
    shopifyCreatesCodes();
    const redeemed = JSON.parse((await redeem(shop, { rewardId: cheap, idempotencyKey: "view-click-1" })).text) as { redemption: { code: string } };

    const response = await view(shop);

    expect(response.status).toBe(200);
    const body = JSON.parse(response.text) as Record<string, unknown>;
    expect(body).toMatchObject({
      currency: "USD",
      balance: 300,
      rewards: [
        { id: cheap, title: "$5 off", kind: "fixed_amount", pointsCost: 500, valueText: "$5.00 off", affordable: false },
        { id: dear, title: "20% off", kind: "percentage", pointsCost: 2000, valueText: "20% off", affordable: false },
      ],
      codes: [{ code: redeemed.redemption.code, status: "issued", points: 500 }],
    });
    expect((body.history as { kind: string; points: number }[]).map((h) => [h.kind, h.points])).toEqual([
      ["redemption", -500],
      ["order", 800],
    ]);

    // Another customer of the shop sees none of it.
    const other = JSON.parse((await view(shop, "502")).text) as Record<string, unknown>;
    expect(other).toMatchObject({ balance: 0, codes: [], redemptions: [], history: [] });
  });
});

describe("a redemption's round trips", () => {
  it("takes the points in three: BEGIN with the lock and the reads behind it; the redemption with the booking; the mirror with COMMIT; and settles the code in two, reading nothing after", async () => {
    const shop = await installNewShop("redeem-flights");
    await pointsAvailableAtOnce(shop);
    await earnPoints(shop, CUSTOMER, 600);
    const rewardId = await addReward(shop, { title: "$5 off", kind: "fixed_amount", pointsCost: "500", amount: "5" });
    shopifyCreatesCodes();

    // Statements outside a transaction go through the pool (`poolSql`); counted while the redemption runs.
    const pooled = vi.spyOn(db, "poolSql");
    let pooledReads = -1;
    const { result, flights } = await flightsDuring(() => redeemReward(shop, CUSTOMER, rewardId, "flights-0001")).finally(() => {
      pooledReads = pooled.mock.calls.length;
      pooled.mockRestore();
    });

    expect(result).toMatchObject({ outcome: "redeemed", balance: 100, repeat: false, redemption: { status: "issued" } });
    // The points' transaction, then the settling of the issued code.
    expect(flights).toHaveLength(2);
    expect(flights[0]).toEqual([
      ["BEGIN", expect.stringMatching(/^SELECT "id"/), expect.stringMatching(/^SELECT "id"/), expect.stringMatching(/^SELECT "id"/), expect.stringMatching(/^SELECT /)],
      [expect.stringMatching(/^INSERT INTO/), expect.stringMatching(/^WITH /)],
      [expect.stringMatching(/^WITH /), "COMMIT"],
    ]);
    // The move from pending with the reads of what may follow it (a workflow using the trigger, goodwill waiting on
    // it: neither here), then COMMIT.
    expect(flights[1]).toEqual([["BEGIN", 'UPDATE "RewardRedemption"', 'SELECT "enabled"', 'SELECT "id",'], ["COMMIT"]]);
    // Nothing is read after the COMMIT: the move returns the redemption as issued.
    expect(pooledReads).toBe(0);
    expect(await pointsOf(shop, CUSTOMER)).toEqual({ balance: 100, ledger: [{ kind: "redemption", points: -500, sourceKey: expect.stringMatching(/^redeem:/) }] });
  });
});
