import { afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { log } from "~/logger.server";
import { saveShopProfile } from "~/models/shops.server";
import { action as followUpsAction } from "~/routes/app.followups/route";
import { action as lifecycleAction } from "~/routes/flow.trigger-lifecycle";
import { action as appUninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { deliverDueOutbox } from "~/services/outbox.server";
import { FLOW_TRIGGER_RECEIVE_MUTATION } from "~/shopify/flow-triggers.server";
import { adminCalls, failAdminOperation, stubAdminOperation } from "../support/admin-api";
import { adminRequest, installNewShop } from "../support/sessions";
import { flowLifecycleRequest } from "../support/flow";
import { callAction, signedWebhook } from "../support/webhooks";
import { allowConsoleError } from "../support/console";

/**
 * Shopify Flow triggers (issue 22): the trigger lifecycle callback (POST /flow/trigger-lifecycle, signed like a
 * webhook), and "Follow-up status changed" end to end: a status change on the follow-ups page queues
 * flowTriggerReceive in its transaction, only when Flow said a workflow uses the trigger, and the outbox sends the
 * exact document.
 */

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

const HANDLE = "follow-up-status-changed";
const T1 = "2026-12-01T10:00:00.000Z";
const T2 = "2026-12-01T11:00:00.000Z";
const T3 = "2026-12-01T12:00:00.000Z";

afterEach(() => vi.restoreAllMocks());

const lifecycleRequest = flowLifecycleRequest;

const callback = (shop: string, enabled: boolean, timestamp: string, extra: Record<string, unknown> = {}) => ({
  flow_trigger_definition_id: HANDLE,
  has_enabled_flow: enabled,
  shop_id: 690933842,
  shopify_domain: shop,
  timestamp,
  ...extra,
});

const send = (request: Request) => callAction(lifecycleAction, request);
const useOf = (shop: string) => prisma.flowTriggerUse.findMany({ where: { shop }, orderBy: { handle: "asc" } });

async function enable(shop: string, at = T1) {
  expect((await send(lifecycleRequest(callback(shop, true, at)))).status).toBe(200);
}

describe("POST /flow/trigger-lifecycle", () => {
  it("records that an enabled workflow uses the trigger, for the shop the signed body names", async () => {
    const shop = await installNewShop("flow-life");
    const response = await send(lifecycleRequest(callback(shop, true, T1)));
    expect(response.status).toBe(200);
    expect(await useOf(shop)).toMatchObject([{ shop, handle: HANDLE, enabled: true, callbackAt: new Date(T1) }]);
  });

  it("is idempotent and out-of-order safe: a repeat or an older callback changes nothing, a newer one wins", async () => {
    const shop = await installNewShop("flow-life");
    await enable(shop, T2);
    // A repeat of the same callback.
    expect((await send(lifecycleRequest(callback(shop, true, T2)))).status).toBe(200);
    // An older "disabled" arriving late: 200 (Flow must not see a failure), nothing changed.
    expect((await send(lifecycleRequest(callback(shop, false, T1)))).status).toBe(200);
    // The same instant with another value is not newer either.
    expect((await send(lifecycleRequest(callback(shop, false, T2)))).status).toBe(200);
    expect(await useOf(shop)).toMatchObject([{ enabled: true, callbackAt: new Date(T2) }]);
    // A newer one wins.
    expect((await send(lifecycleRequest(callback(shop, false, T3)))).status).toBe(200);
    expect(await useOf(shop)).toMatchObject([{ enabled: false, callbackAt: new Date(T3) }]);
  });

  it("accepts the trigger's name as its definition id, and keeps each trigger apart", async () => {
    const shop = await installNewShop("flow-life");
    await enable(shop);
    const byName = callback(shop, true, T1, { flow_trigger_definition_id: "Reward redeemed" });
    expect((await send(lifecycleRequest(byName))).status).toBe(200);
    expect((await useOf(shop)).map((u) => [u.handle, u.enabled])).toEqual([
      [HANDLE, true],
      ["reward-redeemed", true],
    ]);
  });

  it("refuses a forged or unsigned callback with 401 and stores nothing", async () => {
    const shop = await installNewShop("flow-life");
    const forged = await send(lifecycleRequest(callback(shop, true, T1), { secret: "not-the-app-secret" }));
    expect(forged.status).toBe(401);
    const unsigned = await send(lifecycleRequest(callback(shop, true, T1), { secret: null }));
    expect(unsigned.status).toBe(401);
    // Signed, then changed: the HMAC is over the raw body.
    const signed = lifecycleRequest(callback(shop, false, T1));
    const tampered = new Request(signed.url, { method: "POST", headers: signed.headers, body: JSON.stringify(callback(shop, true, T1)) });
    expect((await send(tampered)).status).toBe(401);
    expect(await useOf(shop)).toEqual([]);
  });

  it.each([
    ["not JSON", { raw: "{not json" }, "body is not valid JSON"],
    ["not an object", { raw: "[1,2]" }, "body is not a JSON object"],
    ["has_enabled_flow missing", { body: { has_enabled_flow: undefined } }, "has_enabled_flow must be true or false"],
    ["has_enabled_flow a string", { body: { has_enabled_flow: "true" } }, "has_enabled_flow must be true or false"],
    ["timestamp not ISO", { body: { timestamp: "yesterday" } }, "timestamp must be an ISO 8601 instant"],
    ["timestamp without zone", { body: { timestamp: "2026-12-01T10:00:00" } }, "timestamp must be an ISO 8601 instant"],
    ["shop_id not an id", { body: { shop_id: "12; drop" } }, "shop_id must be a positive integer"],
    ["empty definition id", { body: { flow_trigger_definition_id: "" } }, "flow_trigger_definition_id must be a non-empty string"],
    ["unknown trigger", { body: { flow_trigger_definition_id: "Add row to spreadsheet" } }, "flow_trigger_definition_id names no trigger of this app"],
    ["not a shop domain", { body: { shopify_domain: "evil.example.com" } }, "shopify_domain is not a shop domain"],
  ])("refuses a malformed signed body with 400 and a reason: %s", async (_, change, reason) => {
    const shop = await installNewShop("flow-life");
    const body = { ...callback(shop, true, T1), ...("body" in change ? change.body : {}) };
    const response = await send(lifecycleRequest(body, "raw" in change ? { raw: change.raw } : {}));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [reason] });
    expect(await useOf(shop)).toEqual([]);
  });

  it("answers 404 for a shop that never installed the app or has uninstalled it, and stores nothing", async () => {
    const never = "flow-never.myshopify.com";
    expect((await send(lifecycleRequest(callback(never, true, T1)))).status).toBe(404);
    expect(await useOf(never)).toEqual([]);

    const shop = await installNewShop("flow-life");
    expect((await callAction(appUninstalled, signedWebhook({ topic: "app/uninstalled", shop, body: { id: 1, domain: shop } }))).status).toBe(200);
    expect((await send(lifecycleRequest(callback(shop, true, T1)))).status).toBe(404);
    expect(await useOf(shop)).toEqual([]);
  });

  it("refuses a body whose shop_id is not the stored id of the shop it names (401)", async () => {
    const shop = await installNewShop("flow-life");
    await saveShopProfile(shop, { name: "Flow shop", currency: "USD", timezone: "UTC", domain: null, shopifyId: "111" });
    expect((await send(lifecycleRequest(callback(shop, true, T1, { shop_id: 222 })))).status).toBe(401);
    expect(await useOf(shop)).toEqual([]);
    expect((await send(lifecycleRequest(callback(shop, true, T1, { shop_id: "111" })))).status).toBe(200);
    expect(await useOf(shop)).toHaveLength(1);
  });

  it("logs no text the sender chose", async () => {
    const lines: string[] = [];
    for (const level of ["info", "warn", "error"] as const) {
      vi.spyOn(log, level).mockImplementation((message: string, fields?: Record<string, unknown>) => void lines.push(`${message} ${JSON.stringify(fields ?? {})}`));
    }
    const shop = await installNewShop("flow-life");
    const marker = "MARKER-7f3a";
    await send(lifecycleRequest(callback(shop, true, T1, { flow_trigger_definition_id: marker })));
    await send(lifecycleRequest(callback(shop, true, marker)));
    await send(lifecycleRequest(callback(shop, true, T1, { shop_id: marker })));
    await send(lifecycleRequest(callback(`${marker}.example.com`, true, T1)));
    await send(lifecycleRequest(callback(shop, true, T1), { raw: `{"${marker}"` }));
    await send(lifecycleRequest(callback(shop, true, T1, { note: marker }), { secret: "forged" }));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes(marker))).toEqual([]);
  });

  it("shop/redact deletes the shop's rows, and only its", async () => {
    const shop = await installNewShop("flow-life");
    const other = await installNewShop("flow-life");
    await enable(shop);
    await enable(other);
    const redact = signedWebhook({ topic: "shop/redact", shop, body: { shop_id: 1, shop_domain: shop } });
    expect((await callAction(shopRedact, redact)).status).toBe(200);
    expect(await useOf(shop)).toEqual([]);
    expect(await useOf(other)).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------------------------

const NOW = new Date("2026-12-02T09:00:00.000Z");

async function recoveryFollowUp(shop: string, options: { customerId?: string | null; owner?: string | null } = {}) {
  return prisma.followUp.create({
    data: {
      shop,
      responseId: Math.floor(Math.random() * 1e9),
      orderId: "450789469",
      customerId: options.customerId === undefined ? "207119551" : options.customerId,
      kind: "recovery",
      trigger: "nps:3",
      status: "open",
      owner: options.owner ?? null,
      createdAt: NOW,
      updatedAt: NOW,
    },
  });
}

/** The follow-ups page's action with a real session token of the shop; returns the HTTP status it answers. */
async function post(shop: string, fields: Record<string, string>): Promise<number> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  const out: unknown = await followUpsAction({
    request: await adminRequest(shop.replace(".myshopify.com", ""), "/app/followups", { method: "POST", body: form }),
    params: {},
    context: {},
  });
  if (out && typeof out === "object" && "init" in out) return (out as { init: { status?: number } | null }).init?.status ?? 200;
  return 200;
}

const flowMessages = (shop: string) => prisma.outboxMessage.findMany({ where: { shop, operation: "flowTriggerReceive" }, orderBy: { id: "asc" } });
const flowCalls = (shop: string) => adminCalls.filter((c) => c.shop === shop && c.operation === "AfterglowFlowTriggerReceive");

function stubFlow(userErrors: { field: string[] | null; message: string }[] = []) {
  stubAdminOperation("AfterglowFlowTriggerReceive", () => ({ flowTriggerReceive: { userErrors } }));
}

describe('"Follow-up status changed", end to end', () => {
  it("a status change queues flowTriggerReceive and the outbox sends the exact document and variables", async () => {
    stubFlow();
    const shop = await installNewShop("flow-e2e");
    await enable(shop);
    const followUp = await recoveryFollowUp(shop);
    expect(await post(shop, { intent: "update", id: String(followUp.id), status: "contacted", owner: "Sam Rivera" })).toBe(200);

    expect(await flowMessages(shop)).toHaveLength(1);
    expect(await deliverDueOutbox()).toMatchObject({ delivered: 1, failed: 0 });
    const calls = flowCalls(shop);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.query).toBe(FLOW_TRIGGER_RECEIVE_MUTATION);
    expect(calls[0]!.query).toContain("mutation AfterglowFlowTriggerReceive($handle: String, $payload: JSON) {");
    expect(calls[0]!.query).toContain("flowTriggerReceive(handle: $handle, payload: $payload) {");
    expect(calls[0]!.variables).toEqual({
      handle: HANDLE,
      payload: {
        customer_id: 207119551,
        order_id: 450789469,
        "follow up id": followUp.id,
        "previous status": "open",
        status: "contacted",
        owner: "Sam Rivera",
      },
    });
    expect((await flowMessages(shop))[0]!.status).toBe("delivered");
  });

  it("sends each change of status, in order, with the owner the follow-up has; a guest's payload has no customer_id", async () => {
    stubFlow();
    const shop = await installNewShop("flow-e2e");
    await enable(shop);
    const followUp = await recoveryFollowUp(shop, { customerId: null, owner: "Ana" });
    expect(await post(shop, { intent: "update", id: String(followUp.id), status: "contacted" })).toBe(200);
    expect(await post(shop, { intent: "update", id: String(followUp.id), status: "resolved" })).toBe(200);
    await deliverDueOutbox();
    expect(flowCalls(shop).map((c) => c.variables)).toEqual([
      { handle: HANDLE, payload: { order_id: 450789469, "follow up id": followUp.id, "previous status": "open", status: "contacted", owner: "Ana" } },
      { handle: HANDLE, payload: { order_id: 450789469, "follow up id": followUp.id, "previous status": "contacted", status: "resolved", owner: "Ana" } },
    ]);
  });

  it("queues nothing when the status does not change (owner or notes only, or the same status posted again)", async () => {
    stubFlow();
    const shop = await installNewShop("flow-e2e");
    await enable(shop);
    const followUp = await recoveryFollowUp(shop);
    expect(await post(shop, { intent: "update", id: String(followUp.id), owner: "Sam" })).toBe(200);
    expect(await post(shop, { intent: "update", id: String(followUp.id), status: "open", notes: "Called, no answer" })).toBe(200);
    expect(await flowMessages(shop)).toEqual([]);
    await deliverDueOutbox();
    expect(flowCalls(shop)).toEqual([]);
  });

  it("queues nothing when no workflow uses the trigger: never said, or disabled by a newer callback", async () => {
    stubFlow();
    const shop = await installNewShop("flow-e2e");
    const followUp = await recoveryFollowUp(shop);
    expect(await post(shop, { intent: "update", id: String(followUp.id), status: "contacted" })).toBe(200);
    expect(await flowMessages(shop)).toEqual([]);

    await enable(shop, T1);
    expect((await send(lifecycleRequest(callback(shop, false, T2)))).status).toBe(200);
    expect(await post(shop, { intent: "update", id: String(followUp.id), status: "resolved" })).toBe(200);
    expect(await flowMessages(shop)).toEqual([]);
    // Another shop's enabled trigger does not count for this one.
    const other = await installNewShop("flow-e2e");
    await enable(other, T3);
    expect(await post(shop, { intent: "update", id: String(followUp.id), status: "open" })).toBe(200);
    expect(await flowMessages(shop)).toEqual([]);
    await deliverDueOutbox();
    expect(flowCalls(shop)).toEqual([]);
  });

  it("a refused status change (invalid move, another shop's follow-up) queues nothing", async () => {
    stubFlow();
    const shop = await installNewShop("flow-e2e");
    const other = await installNewShop("flow-e2e");
    await enable(shop);
    await enable(other);
    const mine = await recoveryFollowUp(shop);
    expect(await post(other, { intent: "update", id: String(mine.id), status: "contacted" })).toBe(404);
    expect(await flowMessages(other)).toEqual([]);
    expect(await flowMessages(shop)).toEqual([]);
    expect((await prisma.followUp.findUniqueOrThrow({ where: { id: mine.id } })).status).toBe("open");
  });

  it("nothing is sent after uninstall: the queued trigger is failed, not delivered", async () => {
    stubFlow();
    const shop = await installNewShop("flow-e2e");
    await enable(shop);
    const followUp = await recoveryFollowUp(shop);
    expect(await post(shop, { intent: "update", id: String(followUp.id), status: "contacted" })).toBe(200);
    expect(await flowMessages(shop)).toHaveLength(1);
    expect((await callAction(appUninstalled, signedWebhook({ topic: "app/uninstalled", shop, body: { id: 1, domain: shop } }))).status).toBe(200);
    await deliverDueOutbox();
    expect(flowCalls(shop)).toEqual([]);
    expect(await flowMessages(shop)).toMatchObject([{ status: "failed" }]);
  });

  it("an outage or a throttle is retried with backoff and then sent once, with the same variables", async () => {
    stubFlow();
    failAdminOperation("AfterglowFlowTriggerReceive", { status: 503 });
    const shop = await installNewShop("flow-e2e");
    await enable(shop);
    const followUp = await recoveryFollowUp(shop);
    expect(await post(shop, { intent: "update", id: String(followUp.id), status: "resolved" })).toBe(200);
    const t0 = new Date();
    expect(await deliverDueOutbox({ now: t0 })).toMatchObject({ delivered: 0, retried: 1, failed: 0 });
    let [message] = await flowMessages(shop);
    expect(message).toMatchObject({ status: "pending", attempts: 1, lastError: "flowTriggerReceive: HTTP 503 Service Unavailable" });
    expect(message!.nextAttemptAt.getTime() - t0.getTime()).toBeGreaterThanOrEqual(30_000);
    // Not before its time.
    expect(await deliverDueOutbox({ now: new Date(message!.nextAttemptAt.getTime() - 1) })).toMatchObject({ delivered: 0, retried: 0 });
    // Then throttled (HTTP 429, Retry-After 60 s): waits, and the throttle does not use an attempt up.
    failAdminOperation("AfterglowFlowTriggerReceive", { status: 429, retryAfter: 60 });
    const t1 = message!.nextAttemptAt;
    expect(await deliverDueOutbox({ now: t1 })).toMatchObject({ delivered: 0, retried: 1, failed: 0 });
    [message] = await flowMessages(shop);
    expect(message).toMatchObject({ status: "pending", attempts: 1 });
    expect(message!.nextAttemptAt.getTime() - t1.getTime()).toBeGreaterThanOrEqual(60_000);
    expect(await deliverDueOutbox({ now: message!.nextAttemptAt })).toMatchObject({ delivered: 1, failed: 0 });
    const calls = flowCalls(shop);
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => JSON.stringify(c.variables))).size).toBe(1);
    expect(calls[2]!.variables).toMatchObject({ handle: HANDLE, payload: { "previous status": "open", status: "resolved" } });
    expect(await deliverDueOutbox({ now: new Date(message!.nextAttemptAt.getTime() + 3_600_000) })).toMatchObject({ delivered: 0 });
    expect(flowCalls(shop)).toHaveLength(3);
  });

  it("userErrors from Flow fail the message with Shopify's text, kept for the merchant (not retried)", async () => {
    allowConsoleError(); // the outbox logs a message it gives up as an error, on purpose
    stubFlow([{ field: ["handle"], message: "Trigger not found" }]);
    const shop = await installNewShop("flow-e2e");
    await enable(shop);
    const followUp = await recoveryFollowUp(shop);
    expect(await post(shop, { intent: "update", id: String(followUp.id), status: "contacted" })).toBe(200);
    expect(await deliverDueOutbox()).toMatchObject({ delivered: 0, failed: 1 });
    expect(flowCalls(shop)).toHaveLength(1);
    const [message] = await flowMessages(shop);
    expect(message).toMatchObject({ status: "failed", attempts: 1 });
    expect(message!.lastError).toContain("flowTriggerReceive: userErrors");
    expect(message!.lastError).toContain("Trigger not found");
  });
});
