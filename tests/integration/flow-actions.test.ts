import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { log } from "~/logger.server";
import { saveShopProfile } from "~/models/shops.server";
import { action as flowActionRoute } from "~/routes/flow.actions.$handle";
import { action as lifecycleAction } from "~/routes/flow.trigger-lifecycle";
import { action as appUninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as customersDataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { customerDataExport } from "~/services/privacy-export.server";
import { flowActionRequest, flowLifecycleRequest } from "../support/flow";
import { earnPoints, pointsAvailableAtOnce } from "../support/rewards";
import { installNewShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * Shopify Flow actions (issue 22, decision 040): POST /flow/actions/<handle>, signed with the app secret over the
 * raw body, applied once per action run id, scoped to the shop the signed body names; "Award loyalty points" books
 * points in the ledger by Shopify Flow; "Set follow-up status" moves the order's follow-up without sending
 * "Follow-up status changed" back to Flow.
 */

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });
afterEach(() => vi.restoreAllMocks());

const CUSTOMER = "207119551";
const ORDER = "450789469";

function run(handle: string, request: Request) {
  return flowActionRoute({ request, params: { handle }, context: {} });
}

function body(shop: string, handle: string, properties: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { shop_id: "690933842", shopify_domain: shop, action_run_id: randomUUID(), action_definition_id: handle, handle, properties, ...extra };
}

const award = (shop: string, properties: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  body(shop, "award-points", { customer_id: Number(CUSTOMER), points: 25, reason: "Left a review", ...properties }, extra);

const setStatus = (shop: string, status: string, extra: Record<string, unknown> = {}) => body(shop, "set-follow-up-status", { order_id: ORDER, status }, extra);

const flowLedger = (shop: string) =>
  prisma.pointsLedger.findMany({ where: { shop, sourceKey: { startsWith: "adjust:flow:" } }, orderBy: { id: "asc" }, select: { customerId: true, points: true, kind: true, sourceKey: true, note: true, staff: true } });
const balanceOf = async (shop: string, customerId = CUSTOMER) =>
  Number((await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop, id: customerId } } })).pointsBalance);
const runsOf = (shop: string) => prisma.flowActionRun.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });

async function shopWithCustomer(points = 10) {
  const shop = await installNewShop("flow-act");
  await pointsAvailableAtOnce(shop);
  await earnPoints(shop, CUSTOMER, points);
  return shop;
}

async function recoveryFollowUp(shop: string, status = "open") {
  return prisma.followUp.create({
    data: { shop, responseId: Math.floor(Math.random() * 1e9), orderId: ORDER, customerId: CUSTOMER, kind: "recovery", trigger: "nps:3", status, createdAt: new Date(), updatedAt: new Date() },
  });
}

async function enableFollowUpTrigger(shop: string) {
  const callback = { flow_trigger_definition_id: "follow-up-status-changed", has_enabled_flow: true, shopify_domain: shop, timestamp: "2026-12-01T10:00:00.000Z" };
  expect((await callAction(lifecycleAction, flowLifecycleRequest(callback))).status).toBe(200);
}

describe('"Award loyalty points"', () => {
  it("a signed run books the points once, in the ledger by Shopify Flow with the reason, and answers 200", async () => {
    const shop = await shopWithCustomer(10);
    const request = award(shop);
    const response = await run("award-points", flowActionRequest("award-points", request));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: "applied", detail: "Awarded 25 points; balance 35" });
    expect(await flowLedger(shop)).toEqual([
      { customerId: CUSTOMER, points: 25n, kind: "adjustment", sourceKey: `adjust:flow:${request.action_run_id}`, note: "Left a review", staff: "Shopify Flow" },
    ]);
    expect(await balanceOf(shop)).toBe(35);
    expect(await runsOf(shop)).toMatchObject([
      { actionRunId: request.action_run_id, handle: "award-points", status: 200, outcome: "applied", customerId: CUSTOMER, orderId: null, points: 25 },
    ]);
  });

  it("a retried run (same action run id) changes nothing and answers the same; a new run id books again", async () => {
    const shop = await shopWithCustomer(10);
    const request = award(shop);
    const first = await run("award-points", flowActionRequest("award-points", request));
    const again = await run("award-points", flowActionRequest("award-points", request));
    // A retry whose properties differ is still the same run: answered as it was, nothing booked.
    const altered = await run("award-points", flowActionRequest("award-points", { ...request, properties: { ...request.properties, points: 999 } }));
    expect([first.status, again.status, altered.status]).toEqual([200, 200, 200]);
    const answers = [await first.json(), await again.json(), await altered.json()];
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(await flowLedger(shop)).toHaveLength(1);
    expect(await balanceOf(shop)).toBe(35);

    expect((await run("award-points", flowActionRequest("award-points", award(shop)))).status).toBe(200);
    expect(await flowLedger(shop)).toHaveLength(2);
    expect(await balanceOf(shop)).toBe(60);
  });

  it("the same run id sent twice at once books once", async () => {
    const shop = await shopWithCustomer(10);
    const request = award(shop);
    const responses = await Promise.all([0, 1, 2].map(() => run("award-points", flowActionRequest("award-points", request))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await flowLedger(shop)).toHaveLength(1);
    expect(await balanceOf(shop)).toBe(35);
  });

  it("refuses a forged, unsigned or tampered request with 401 and changes nothing", async () => {
    const shop = await shopWithCustomer(10);
    expect((await run("award-points", flowActionRequest("award-points", award(shop), { secret: "not-the-app-secret" }))).status).toBe(401);
    expect((await run("award-points", flowActionRequest("award-points", award(shop), { secret: null }))).status).toBe(401);
    const signed = flowActionRequest("award-points", award(shop));
    const tampered = new Request(signed.url, { method: "POST", headers: signed.headers, body: JSON.stringify(award(shop, { points: 5000 })) });
    expect((await run("award-points", tampered)).status).toBe(401);
    expect(await flowLedger(shop)).toEqual([]);
    expect(await runsOf(shop)).toEqual([]);
    expect(await balanceOf(shop)).toBe(10);
  });

  it("another shop's customer: 404 with a reason, no points anywhere, the refusal recorded for the shop that asked", async () => {
    const shop = await shopWithCustomer(10);
    const other = await installNewShop("flow-act");
    await pointsAvailableAtOnce(other);
    await earnPoints(other, "999000111", 10);
    const response = await run("award-points", flowActionRequest("award-points", award(shop, { customer_id: 999000111 })));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ errors: ["properties.customer_id names no customer Afterglow knows in this shop"] });
    expect(await flowLedger(shop)).toEqual([]);
    expect(await flowLedger(other)).toEqual([]);
    expect(await balanceOf(other, "999000111")).toBe(10);
    expect(await runsOf(shop)).toMatchObject([{ status: 404, outcome: "refused", customerId: null }]);
    expect(await runsOf(other)).toEqual([]);
  });

  it("the shop is the signed body's: the other shop's domain in the body acts on that shop only if installed, and a wrong shop_id is 401", async () => {
    const shop = await shopWithCustomer(10);
    await saveShopProfile(shop, { name: "Flow shop", currency: "USD", timezone: "UTC", domain: null, shopifyId: "111" });
    expect((await run("award-points", flowActionRequest("award-points", award(shop, {}, { shop_id: 222 })))).status).toBe(401);
    expect((await run("award-points", flowActionRequest("award-points", award("flow-never.myshopify.com")))).status).toBe(404);
    expect(await flowLedger(shop)).toEqual([]);
    expect((await run("award-points", flowActionRequest("award-points", award(shop, {}, { shop_id: "gid://shopify/Shop/111" })))).status).toBe(200);
    expect(await flowLedger(shop)).toHaveLength(1);
  });

  it("after uninstall a run is refused (404) and changes nothing", async () => {
    const shop = await shopWithCustomer(10);
    expect((await callAction(appUninstalled, signedWebhook({ topic: "app/uninstalled", shop, body: { id: 1, domain: shop } }))).status).toBe(200);
    expect((await run("award-points", flowActionRequest("award-points", award(shop)))).status).toBe(404);
    expect(await flowLedger(shop)).toEqual([]);
  });

  it.each([
    ["not JSON", { raw: "{not json" }, 400, "body is not valid JSON"],
    ["not an object", { raw: "[1]" }, 400, "body is not a JSON object"],
    ["no run id", { body: { action_run_id: undefined } }, 400, "action_run_id must be a plain string of at most 255 characters"],
    ["no properties", { body: { properties: null } }, 400, "properties must be a JSON object"],
    ["a handle that is not the URL's", { body: { handle: "set-follow-up-status" } }, 400, "handle does not match the action's URL"],
    ["not a shop domain", { body: { shopify_domain: "evil.example.com" } }, 400, "shopify_domain is not a shop domain"],
    ["no customer", { properties: { customer_id: null } }, 400, "properties.customer_id must be a customer id"],
    ["points zero", { properties: { points: 0 } }, 400, "properties.points must be a whole number from 1 to 100000"],
    ["points negative", { properties: { points: -50 } }, 400, "properties.points must be a whole number from 1 to 100000"],
    ["points as text", { properties: { points: "lots" } }, 400, "properties.points must be a whole number from 1 to 100000"],
    ["no reason", { properties: { reason: "" } }, 400, "properties.reason must be text of 3 to 200 characters"],
  ])("a malformed body is refused with its status and reason, nothing booked: %s", async (_, change, status, reason) => {
    const shop = await shopWithCustomer(10);
    const request = { ...award(shop, "properties" in change ? change.properties : {}), ...("body" in change ? change.body : {}) };
    const response = await run("award-points", flowActionRequest("award-points", request, "raw" in change ? { raw: change.raw } : {}));
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ errors: [reason] });
    expect(await flowLedger(shop)).toEqual([]);
    expect(await balanceOf(shop)).toBe(10);
  });

  it("an unknown action handle is 404 and a GET is 405", async () => {
    const shop = await shopWithCustomer(10);
    expect((await run("delete-everything", flowActionRequest("delete-everything", award(shop)))).status).toBe(404);
    expect((await run("award-points", new Request("https://afterglow.test/flow/actions/award-points", { method: "GET" }))).status).toBe(405);
  });
});

describe('"Set follow-up status"', () => {
  it("moves the order's follow-up and does NOT queue \"Follow-up status changed\" even when a workflow uses it", async () => {
    const shop = await installNewShop("flow-act");
    await pointsAvailableAtOnce(shop);
    await enableFollowUpTrigger(shop);
    const followUp = await recoveryFollowUp(shop);
    const request = setStatus(shop, "Resolved");
    const response = await run("set-follow-up-status", flowActionRequest("set-follow-up-status", request));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: "applied", detail: `Follow-up ${followUp.id} moved from open to resolved` });
    const stored = await prisma.followUp.findUniqueOrThrow({ where: { id: followUp.id } });
    expect(stored.status).toBe("resolved");
    expect(stored.resolvedAt).not.toBeNull();
    expect(await prisma.outboxMessage.count({ where: { shop, operation: "flowTriggerReceive" } })).toBe(0);
    expect(await runsOf(shop)).toMatchObject([{ handle: "set-follow-up-status", status: 200, outcome: "applied", orderId: ORDER, customerId: CUSTOMER, followUpStatus: "resolved" }]);
  });

  it("an unchanged status writes nothing and fires nothing (200)", async () => {
    const shop = await installNewShop("flow-act");
    await pointsAvailableAtOnce(shop);
    await enableFollowUpTrigger(shop);
    const followUp = await recoveryFollowUp(shop, "contacted");
    const response = await run("set-follow-up-status", flowActionRequest("set-follow-up-status", setStatus(shop, "contacted")));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ outcome: "applied", detail: `Follow-up ${followUp.id} was already contacted` });
    expect((await prisma.followUp.findUniqueOrThrow({ where: { id: followUp.id } })).updatedAt).toEqual(followUp.updatedAt);
    expect(await prisma.outboxMessage.count({ where: { shop, operation: "flowTriggerReceive" } })).toBe(0);
  });

  it("a move the follow-ups page would refuse is refused (422) with the same reason; an order without a follow-up is 404", async () => {
    const shop = await installNewShop("flow-act");
    await pointsAvailableAtOnce(shop);
    const followUp = await recoveryFollowUp(shop, "resolved");
    const refused = await run("set-follow-up-status", flowActionRequest("set-follow-up-status", setStatus(shop, "contacted")));
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ errors: ["A resolved follow-up can only be reopened"] });
    expect((await prisma.followUp.findUniqueOrThrow({ where: { id: followUp.id } })).status).toBe("resolved");
    const none = await run("set-follow-up-status", flowActionRequest("set-follow-up-status", body(shop, "set-follow-up-status", { order_id: "1234", status: "open" })));
    expect(none.status).toBe(404);
    expect(await none.json()).toEqual({ errors: ["properties.order_id names no order with a follow-up in this shop"] });
  });

  it("another shop's order changes nothing there (404)", async () => {
    const shop = await installNewShop("flow-act");
    await pointsAvailableAtOnce(shop);
    const other = await installNewShop("flow-act");
    await pointsAvailableAtOnce(other);
    const theirs = await recoveryFollowUp(other);
    expect((await run("set-follow-up-status", flowActionRequest("set-follow-up-status", setStatus(shop, "resolved")))).status).toBe(404);
    expect((await prisma.followUp.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("open");
  });

  it("a retried run answers the same without moving it again (the status changed by staff meanwhile stays)", async () => {
    const shop = await installNewShop("flow-act");
    await pointsAvailableAtOnce(shop);
    const followUp = await recoveryFollowUp(shop);
    const request = setStatus(shop, "contacted");
    expect((await run("set-follow-up-status", flowActionRequest("set-follow-up-status", request))).status).toBe(200);
    await prisma.followUp.update({ where: { id: followUp.id }, data: { status: "open" } });
    const again = await run("set-follow-up-status", flowActionRequest("set-follow-up-status", request));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ outcome: "applied", detail: `Follow-up ${followUp.id} moved from open to contacted` });
    expect((await prisma.followUp.findUniqueOrThrow({ where: { id: followUp.id } })).status).toBe("open");
  });

  it.each([
    ["no order", { order_id: undefined, status: "open" }, "properties.order_id must be an order id"],
    ["an unknown status", { order_id: ORDER, status: "escalated" }, "properties.status must be open, contacted or resolved"],
  ])("a malformed body is 400 with a reason: %s", async (_, properties, reason) => {
    const shop = await installNewShop("flow-act");
    await pointsAvailableAtOnce(shop);
    await recoveryFollowUp(shop);
    const response = await run("set-follow-up-status", flowActionRequest("set-follow-up-status", body(shop, "set-follow-up-status", properties)));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [reason] });
  });
});

describe("Flow action runs: logs and privacy", () => {
  it("logs no text the sender chose", async () => {
    const lines: string[] = [];
    for (const level of ["info", "warn", "error"] as const) {
      vi.spyOn(log, level).mockImplementation((message: string, fields?: Record<string, unknown>) => void lines.push(`${message} ${JSON.stringify(fields ?? {})}`));
    }
    const shop = await shopWithCustomer(10);
    const marker = "MARKER-91c2";
    await run("award-points", flowActionRequest("award-points", award(shop, { reason: `${marker} reason` })));
    await run("award-points", flowActionRequest("award-points", award(shop, { points: marker })));
    await run("award-points", flowActionRequest("award-points", award(shop, {}, { action_run_id: `${marker} x` })));
    await run("award-points", flowActionRequest("award-points", award(`${marker}.example.com`)));
    await run("award-points", flowActionRequest("award-points", award(shop), { raw: `{"${marker}"` }));
    await run("set-follow-up-status", flowActionRequest("set-follow-up-status", setStatus(shop, marker)));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes(marker))).toEqual([]);
  });

  it("the customer data export lists the runs on the customer and on their guest orders, not another customer's", async () => {
    const shop = await shopWithCustomer(10);
    await earnPoints(shop, "300300300", 10);
    const request = award(shop);
    expect((await run("award-points", flowActionRequest("award-points", request))).status).toBe(200);
    expect((await run("award-points", flowActionRequest("award-points", award(shop, { customer_id: 300300300 })))).status).toBe(200);
    const dataRequest = { shop_id: 1, shop_domain: shop, customer: { id: Number(CUSTOMER), email: "c@example.com", phone: null }, orders_requested: [], data_request: { id: 77 } };
    expect((await callAction(customersDataRequest, signedWebhook({ topic: "customers/data_request", shop, body: dataRequest }))).status).toBe(200);
    const row = await prisma.privacyRequest.findFirstOrThrow({ where: { shop, kind: "data-request" } });
    const file = await customerDataExport(shop, row.id);
    expect(file!.data.flowActionRuns).toEqual([
      {
        actionRunId: request.action_run_id,
        action: "award-points",
        outcome: "applied",
        detail: "Awarded 25 points; balance 35",
        points: 25,
        followUpStatus: null,
        orderId: null,
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      },
    ]);
    expect(file!.data.header.truncated.flowActionRuns).toBe(false);
  });

  it("customers/redact deletes the customer's runs (and their orders'), shop/redact the shop's; other shops keep theirs", async () => {
    const shop = await shopWithCustomer(10);
    const other = await shopWithCustomer(10);
    await recoveryFollowUp(shop);
    expect((await run("award-points", flowActionRequest("award-points", award(shop)))).status).toBe(200);
    expect((await run("set-follow-up-status", flowActionRequest("set-follow-up-status", setStatus(shop, "contacted")))).status).toBe(200);
    expect((await run("award-points", flowActionRequest("award-points", award(other)))).status).toBe(200);
    expect(await runsOf(shop)).toHaveLength(2);

    const redact = signedWebhook({
      topic: "customers/redact",
      shop,
      body: { shop_id: 1, shop_domain: shop, customer: { id: Number(CUSTOMER), email: "c@example.com", phone: null }, orders_to_redact: [Number(ORDER)] },
    });
    expect((await callAction(customersRedact, redact)).status).toBe(200);
    expect(await runsOf(shop)).toEqual([]);
    expect(await runsOf(other)).toHaveLength(1);

    expect((await run("award-points", flowActionRequest("award-points", award(shop)))).status).toBe(200);
    expect((await callAction(shopRedact, signedWebhook({ topic: "shop/redact", shop, body: { shop_id: 1, shop_domain: shop } }))).status).toBe(200);
    expect(await runsOf(shop)).toEqual([]);
    expect(await runsOf(other)).toHaveLength(1);
  });
});
