import fs from "node:fs";
import path from "node:path";
import { describe, expect, inject, it, vi } from "vitest";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as ordersUpdated } from "~/routes/webhooks.orders.updated";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { markDelivered } from "../support/outbox";
import { databaseState } from "../support/db-state";
import { seedFlowTriggerMessages } from "../support/flow-trigger-seed";
import { shopRows, type Row } from "../support/db-rows";
import { restOrder } from "../support/orders";
import { seedShop } from "../support/shop-seed";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * The mandatory compliance webhooks, checked on the database row by row: customers/redact erases exactly the
 * customer's personal fields, shop/redact leaves no row of the shop in any table; both are idempotent, touch no other
 * shop, and are logged with ids and counts only.
 */
vi.setConfig({ testTimeout: 60_000 });

/** The app's log lines this worker captured so far (tests/support/setup.ts). */
const captured = () => fs.readFileSync(path.join(inject("logDir"), `${process.pid}.jsonl`), "utf8").split("\n").filter(Boolean);

/** Lines logged while `work` ran. */
async function logsOf(work: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const start = captured().length;
  await work();
  return captured()
    .slice(start)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const without = (row: Row, ...keys: string[]) => Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));

describe("customers/redact", () => {
  it("erases the customer's name, email, answer free text and follow-up notes (and the named guest orders'), nothing else; once", async () => {
    // GIVEN a seeded shop and another one with the same ids
    const shop = await seedShop("redact-rows", "REDROWS");
    const other = await seedShop("redact-other", "REDOTHER");
    const before = await shopRows(shop.shop);
    const otherBefore = await databaseState(other.shop);

    // WHEN Shopify asks to redact customer 501 and their orders (1003 is a guest order), twice with one webhook id
    const body = { shop_id: 1, shop_domain: shop.shop, customer: { id: 501, email: shop.texts.email, phone: shop.texts.phone }, orders_to_redact: [1001, 1002, 1003] };
    const delivery = () => callAction(customersRedact, signedWebhook({ topic: "customers/redact", shop: shop.shop, body, webhookId: "redact-rows-1" }));
    const logs = await logsOf(async () => expect((await delivery()).status).toBe(200));
    const after = await shopRows(shop.shop);
    expect((await delivery()).status).toBe(200);

    // THEN the customer row lost exactly its personal fields;
    const erasedCustomer = (c: Row) =>
      c.id === "501" ? { ...c, firstName: null, lastName: null, email: null, updatedAt: expect.any(String), redactedAt: expect.any(String) } : c;
    expect(after.Customer).toEqual(before.Customer!.map(erasedCustomer));
    // the answers of 501 and of the named guest order lost their free text, kept their scores;
    const erasedAnswer = (a: Row) => (a.customerId === "501" || (a.customerId === null && a.orderId === "1003") ? { ...a, comment: null, attributionOther: null } : a);
    expect(after.SurveyResponse).toEqual(before.SurveyResponse!.map(erasedAnswer));
    expect(after.SurveyResponse!.filter((a) => a.orderId === "1001")).toEqual([expect.objectContaining({ nps: 2, csat: 1, comment: null, attributionOther: null })]);
    expect(after.SurveyResponse!.find((a) => a.orderId === "1005")?.comment).toContain("REDROWS");
    // their follow-ups lost the notes, kept status and owner;
    const erasedFollowUp = (f: Row) => (f.customerId === "501" || (f.customerId === null && f.orderId === "1003") ? { ...f, notes: null } : f);
    expect(after.FollowUp).toEqual(before.FollowUp!.map(erasedFollowUp));
    // the staff reason of their points adjustment is gone, the points stay;
    const erasedNote = (l: Row) => (l.customerId === "501" ? { ...l, note: null } : l);
    expect(after.PointsLedger).toEqual(before.PointsLedger!.map(erasedNote));
    expect(before.PointsLedger!.some((l) => l.customerId === "501" && l.note !== null)).toBe(true);
    // their reward redemption (its code) is deleted, its points stay in the ledger (above); the catalogue is untouched;
    expect(before.RewardRedemption!.filter((r) => r.customerId === "501")).toHaveLength(1);
    expect(after.RewardRedemption).toEqual(before.RewardRedemption!.filter((r) => r.customerId !== "501"));
    // one request row was added, with the rows it changed (customer, 2 answers, 1 follow-up, 3 ledger notes: staff, Flow and
    // goodwill, 1 redemption, 1 Flow action run, 1 authored follow-up note, 1 goodwill) and no email or phone;
    expect(after.PrivacyRequest!.slice(0, -1)).toEqual(before.PrivacyRequest);
    expect(without(after.PrivacyRequest!.at(-1)!, "id", "receivedAt")).toEqual({
      shop: shop.shop,
      kind: "customer-redact",
      webhookId: "redact-rows-1",
      dataRequestId: null,
      customerId: "501",
      orderIds: '["1001","1002","1003"]',
      rowsChanged: 11,
    });
    // their authored follow-up notes and the goodwill they were given are deleted (decision 044);
    expect(before.FollowUpNote!.filter((n) => n.customerId === "501")).toHaveLength(1);
    expect(after.FollowUpNote).toEqual(before.FollowUpNote!.filter((n) => n.customerId !== "501"));
    expect(before.FollowUpGoodwill!.filter((g) => g.customerId === "501")).toHaveLength(1);
    expect(after.FollowUpGoodwill).toEqual(before.FollowUpGoodwill!.filter((g) => g.customerId !== "501"));
    // the Shopify Flow action run on 501 is deleted (ids of what a workflow did to them);
    expect(before.FlowActionRun!.filter((r) => r.customerId === "501")).toHaveLength(1);
    expect(after.FlowActionRun).toEqual(before.FlowActionRun!.filter((r) => r.customerId !== "501"));
    // every other table is as it was (the rollups keep the scores: free text is not part of them);
    for (const table of Object.keys(before).filter((t) => !["Customer", "SurveyResponse", "FollowUp", "PrivacyRequest", "PointsLedger", "RewardRedemption", "FlowActionRun", "FollowUpNote", "FollowUpGoodwill"].includes(t))) {
      expect(after[table], table).toEqual(before[table]);
    }
    // the repeat changed nothing; the other shop (same ids) was never touched;
    expect(await shopRows(shop.shop)).toEqual(after);
    expect(await databaseState(other.shop)).toEqual(otherBefore);
    // and the log says what was done with ids and counts only.
    const line = logs.find((l) => l.msg === "customer redacted");
    expect(line).toMatchObject({ shop: shop.shop, webhookId: "redact-rows-1", customerId: "501", orders: 3, customers: 1, answers: 2, followUps: 1, ledgerNotes: 3, redemptions: 1, flowActionRuns: 1, followUpNotes: 1, goodwill: 1 });
    const text = JSON.stringify(logs);
    for (const value of [shop.texts.email, shop.texts.phone, shop.texts.firstName, shop.texts.comment, shop.texts.notes]) expect(text).not.toContain(value);
  });
});

describe("customers/redact and Shopify Flow trigger payloads (decision 050)", () => {
  it("deletes the trigger messages about the customer and the named guest orders, queued or sent; the marks keep their outcome", async () => {
    // GIVEN a seeded shop whose workflows received (or will receive) triggers about 501, 502 and two guest orders,
    // and another shop with the same ids and triggers
    const shop = await seedShop("redact-flow", "REDFLOW");
    const other = await seedShop("redact-flow-other", "REDFLOWO");
    const ids = await seedFlowTriggerMessages(shop);
    await seedFlowTriggerMessages(other);
    const before = await shopRows(shop.shop);
    const otherBefore = await databaseState(other.shop);
    const flowRows = (rows: Record<string, Row[]>) => rows.OutboxMessage!.filter((m) => m.operation === "flowTriggerReceive");
    expect(flowRows(before).map((m) => [m.id, m.status, m.customerId, m.orderId])).toEqual([
      [ids.sent, "delivered", "501", "1001"],
      [ids.queued, "pending", "501", "1001"],
      [ids.otherCustomer, "pending", "502", "1004"],
      [ids.guest, "pending", null, "1003"],
      [ids.unnamedGuest, "pending", null, "1005"],
    ]);
    const guestMark = before.FollowUp!.find((f) => f.orderId === "1003" && f.kind === "thank-you")!;
    expect(guestMark).toMatchObject({ flowOutcome: "queued", flowMessageId: ids.guest });

    // WHEN Shopify asks to redact customer 501 and their orders (1003 a guest order)
    const body = { shop_id: 1, shop_domain: shop.shop, customer: { id: 501 }, orders_to_redact: [1001, 1002, 1003] };
    const logs = await logsOf(async () => expect((await callAction(customersRedact, signedWebhook({ topic: "customers/redact", shop: shop.shop, body, webhookId: "redact-flow-1" }))).status).toBe(200));
    const after = await shopRows(shop.shop);

    // THEN the three messages about 501 and the guest order 1003 are gone (sent or not); 502's, the unnamed guest
    // order's and every other outbox message are as they were;
    const gone = [ids.sent, ids.queued, ids.guest];
    expect(after.OutboxMessage).toEqual(before.OutboxMessage!.filter((m) => !gone.includes(m.id as number)));
    // the guest mark whose trigger was withdrawn says so, without its message; every other follow-up changed only as
    // the redaction always does (the notes of 501's);
    const expectedFollowUp = (f: Row) =>
      f.id === guestMark.id ? { ...f, flowOutcome: "withdrawn", flowMessageId: null } : f.customerId === "501" ? { ...f, notes: null } : f;
    expect(after.FollowUp).toEqual(before.FollowUp!.map(expectedFollowUp));
    // the request counts the three messages; the log says so with counts only;
    expect(after.PrivacyRequest!.at(-1)).toMatchObject({ kind: "customer-redact", webhookId: "redact-flow-1", rowsChanged: 14 });
    expect(logs.find((l) => l.msg === "customer redacted")).toMatchObject({ shop: shop.shop, customerId: "501", flowTriggers: 3 });
    // and the other shop (same ids, same triggers) was not touched.
    expect(await databaseState(other.shop)).toEqual(otherBefore);
  });

  it("records a mark whose trigger had been sent as sent", async () => {
    // GIVEN the guest mark's trigger on 1003 sent to Flow
    const shop = await seedShop("redact-flow-sent", "REDFLOWS");
    const ids = await seedFlowTriggerMessages(shop);
    expect(await markDelivered(shop.shop, ids.guest, new Date("2026-10-08T10:00:00.000Z"))).toBe(true);

    // WHEN the redaction names the guest order 1003 only
    const body = { shop_id: 1, shop_domain: shop.shop, customer: { id: 777 }, orders_to_redact: [1003] };
    expect((await callAction(customersRedact, signedWebhook({ topic: "customers/redact", shop: shop.shop, body }))).status).toBe(200);

    // THEN its message is gone and the mark says it was sent; 501's messages (not named) stay
    const rows = await shopRows(shop.shop);
    expect(rows.FollowUp!.find((f) => f.orderId === "1003" && f.kind === "thank-you")).toMatchObject({ flowOutcome: "sent", flowMessageId: null });
    expect(rows.OutboxMessage!.filter((m) => m.operation === "flowTriggerReceive").map((m) => m.id)).toEqual([ids.sent, ids.queued, ids.otherCustomer, ids.unnamedGuest]);
  });
});

describe("customers/redact, then a late order webhook", () => {
  it("keeps the customer's name and email erased while the order itself is still applied", async () => {
    // GIVEN a redacted customer 501
    const shop = await seedShop("redact-late", "REDLATE");
    const body = { shop_id: 1, shop_domain: shop.shop, customer: { id: 501 }, orders_to_redact: [1001] };
    expect((await callAction(customersRedact, signedWebhook({ topic: "customers/redact", shop: shop.shop, body }))).status).toBe(200);

    // WHEN Shopify delivers a late orders/updated of their order, naming them in full
    const late = restOrder({
      id: 1001,
      created_at: "2026-10-01T10:00:00Z",
      updated_at: "2026-12-31T10:00:00Z",
      total_price: "60.00",
      customer: { id: 501, first_name: shop.texts.firstName, last_name: shop.texts.lastName, email: shop.texts.email },
    });
    expect((await callAction(ordersUpdated, signedWebhook({ topic: "orders/updated", shop: shop.shop, body: late }))).status).toBe(200);

    // THEN the order was applied, and the customer stays without name and email
    const rows = await shopRows(shop.shop);
    expect(rows.Order!.find((o) => o.id === "1001")).toMatchObject({ shopifyUpdatedAt: expect.anything() });
    expect(rows.Customer!.find((c) => c.id === "501")).toMatchObject({ firstName: null, lastName: null, email: null, redactedAt: expect.any(String) });
    expect(JSON.stringify(rows)).not.toContain(shop.texts.email);
  });
});

describe("shop/redact", () => {
  it("leaves no row of the shop in any table, touches no other shop, and a repeat changes nothing", async () => {
    const shop = await seedShop("shop-redact-rows", "SHOPROWS");
    const other = await seedShop("shop-redact-other", "SHOPOTHER");
    const otherBefore = await databaseState(other.shop);
    const before = await shopRows(shop.shop);
    // Every per-shop table but Shop (no profile was fetched) holds something to delete.
    expect(Object.entries(before).filter(([table, rows]) => rows.length === 0 && table !== "Shop").map(([t]) => t)).toEqual([]);

    const delivery = () => callAction(shopRedact, signedWebhook({ topic: "shop/redact", shop: shop.shop, body: { shop_id: 1, shop_domain: shop.shop }, webhookId: "shop-redact-1" }));
    const logs = await logsOf(async () => expect((await delivery()).status).toBe(200));
    const after = await shopRows(shop.shop);
    expect(Object.fromEntries(Object.keys(after).map((table) => [table, after[table]!.length]))).toEqual(Object.fromEntries(Object.keys(before).map((t) => [t, 0])));

    expect((await delivery()).status).toBe(200);
    expect(await shopRows(shop.shop)).toEqual(after);
    expect(await databaseState(other.shop)).toEqual(otherBefore);
    const total = Object.values(before).reduce((n, rows) => n + rows.length, 0);
    expect(logs.find((l) => l.msg === "shop redacted")).toMatchObject({ shop: shop.shop, rows: total });
  });
});

describe("customers/data_request", () => {
  it("is logged with ids only: not the email or phone Shopify sent", async () => {
    const shop = await seedShop("data-request-logs", "DRLOGS");
    const body = { shop_id: 1, shop_domain: shop.shop, orders_requested: [1001], customer: { id: 501, email: shop.texts.email, phone: shop.texts.phone }, data_request: { id: 424242 } };
    const logs = await logsOf(async () => expect((await callAction(dataRequest, signedWebhook({ topic: "customers/data_request", shop: shop.shop, body, webhookId: "dr-logs-1" }))).status).toBe(200));
    expect(logs.find((l) => l.msg === "customer data request received")).toMatchObject({ shop: shop.shop, webhookId: "dr-logs-1", dataRequestId: "424242", customerId: "501", orders: 1, recorded: true });
    expect(logs.find((l) => l.msg === "webhook applied")).toMatchObject({ topic: "CUSTOMERS_DATA_REQUEST", webhookId: "dr-logs-1", outcome: "recorded" });
    // Neither the email nor the phone, in any field; the lines' own timestamps ("…44.555Z") are left out of the search.
    const fields = JSON.stringify(logs.map(({ at: _at, ...rest }) => rest));
    expect(fields).not.toContain(shop.texts.email);
    expect(fields).not.toContain(shop.texts.phone);
    expect(fields).not.toMatch(/@|555/);
  });
});

describe("64-bit ids in the compliance payloads (parsed losslessly, as every webhook body)", () => {
  it("records a data request whose customer, request and order ids are beyond 2^53, digit for digit", async () => {
    const shop = "compliance-ids.myshopify.com";
    // Written by hand: JSON.stringify cannot write these numbers, and JSON.parse would round them.
    const rawBody = `{"shop_id":954889,"shop_domain":"${shop}","customer":{"id":820982911946154508,"email":"john@example.com"},"orders_requested":[9007199254740993,18446744073709551615],"data_request":{"id":9007199254740995}}`;
    const response = await callAction(dataRequest, signedWebhook({ topic: "customers/data_request", shop, body: null, rawBody }));
    expect(response.status).toBe(200);
    const rows = (await shopRows(shop)).PrivacyRequest!;
    expect(rows.map((r) => [r.kind, r.customerId, r.dataRequestId, r.orderIds])).toEqual([
      ["data-request", "820982911946154508", "9007199254740995", JSON.stringify(["9007199254740993", "18446744073709551615"])],
    ]);
  });
});
