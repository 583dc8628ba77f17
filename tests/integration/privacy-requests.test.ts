import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { loader as exportLoader } from "~/routes/app.privacy.$id.export[.]json";
import { loader as privacyLoader } from "~/routes/app.privacy/route";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import type { CustomerDataExport } from "~/services/privacy-export.server";
import { databaseState } from "../support/db-state";
import { seedFlowTriggerMessages } from "../support/flow-trigger-seed";
import { callHandler } from "../support/handlers";
import { adminRequest, installShop } from "../support/sessions";
import { SEED_IDS, seedShop, type SeededShop } from "../support/shop-seed";
import { callAction, signedWebhook, TEST_API_KEY, TEST_SECRET } from "../support/webhooks";

/**
 * customers/data_request → a row on the Privacy page → a JSON export of exactly that customer's rows in that shop.
 * Two shops are seeded through real requests with the same customer, order, refund and data request ids.
 */
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

let A: SeededShop;
let B: SeededShop;

beforeAll(async () => {
  A = await seedShop("privacy-alpha", "ALPHA");
  B = await seedShop("privacy-beta", "BRAVO");
});

const dataRequestRow = (shop: string) => prisma.privacyRequest.findFirstOrThrow({ where: { shop, kind: "data-request" } });

async function download(store: string, id: number | string) {
  return callHandler(exportLoader, await adminRequest(store, `/app/privacy/${id}/export.json`), { id: String(id) });
}

describe("POST /webhooks/customers/data_request", () => {
  it("records the request with ids only: no email or phone anywhere in the database", async () => {
    const row = await dataRequestRow(A.shop);
    expect(row).toMatchObject({ kind: "data-request", customerId: SEED_IDS.customer, dataRequestId: SEED_IDS.dataRequest, rowsChanged: null });
    expect(JSON.parse(row.orderIds)).toEqual(["1001", "1002", "1003"]);
    const everything = JSON.stringify(await databaseState());
    expect(everything).not.toContain(A.texts.phone);
    // The email is on the customer row (from the order webhook), never on a privacy request.
    const requests = JSON.stringify(await prisma.privacyRequest.findMany());
    expect(requests).not.toContain(A.texts.email);
    expect(requests).not.toContain(A.texts.phone);
    expect(requests).not.toContain("@");
  });

  it("is idempotent on the webhook id and on Shopify's data request id", async () => {
    const body = { shop_id: 1, shop_domain: A.shop, orders_requested: [1001], customer: { id: 501, email: A.texts.email }, data_request: { id: 9100 } };
    const first = await callAction(dataRequest, signedWebhook({ topic: "customers/data_request", shop: A.shop, body, webhookId: "dr-once" }));
    const before = await databaseState();
    // The same delivery again, then the same request under another webhook id.
    const repeat = await callAction(dataRequest, signedWebhook({ topic: "customers/data_request", shop: A.shop, body, webhookId: "dr-once" }));
    const redelivered = await callAction(dataRequest, signedWebhook({ topic: "customers/data_request", shop: A.shop, body, webhookId: "dr-again" }));
    expect([first.status, repeat.status, redelivered.status]).toEqual([200, 200, 200]);
    expect(await databaseState()).toEqual(before);
    expect(await prisma.privacyRequest.count({ where: { shop: A.shop, dataRequestId: "9100" } })).toBe(1);
    await prisma.privacyRequest.deleteMany({ where: { shop: A.shop, dataRequestId: "9100" } });
  });

  it.each([
    ["without a customer id", { customer: { email: "x@example.com" }, data_request: { id: 1 } }],
    ["without a data request id", { customer: { id: 1 }, data_request: {} }],
    // (An id beyond 2^53 written as a JSON number is stored exactly: tests/integration/compliance-webhooks.test.ts.)
    ["with a customer id beyond 64 bits", { customer: { id: "18446744073709551616" }, data_request: { id: 1 } }],
  ])("400 %s, nothing stored", async (_label, body) => {
    const before = await databaseState();
    const response = await callAction(dataRequest, signedWebhook({ topic: "customers/data_request", shop: A.shop, body }));
    expect(response.status).toBe(400);
    expect(await databaseState()).toEqual(before);
  });
});

describe("the Privacy page", () => {
  it("lists the shop's requests newest first, with kind, customer, status and the export link for data requests", async () => {
    const page = await callHandler(privacyLoader, await adminRequest(A.store, "/app/privacy"));
    expect(page.status).toBe(200);
    const { requests, pageInfo } = page.value as Awaited<ReturnType<typeof privacyLoader>>;
    const dataRow = await dataRequestRow(A.shop);
    expect(requests).toEqual([
      expect.objectContaining({ kind: "customer-redact", customerId: SEED_IDS.otherCustomer, orders: 1, exportPath: null, status: "Done: 2 rows erased" }),
      expect.objectContaining({ id: dataRow.id, kind: "data-request", customerId: SEED_IDS.customer, dataRequestId: SEED_IDS.dataRequest, orders: 3, status: "Export ready", exportPath: `/app/privacy/${dataRow.id}/export.json` }),
    ]);
    expect(pageInfo).toMatchObject({ hasNext: false, hasPrevious: false });
    expect(page.text).not.toContain(B.marker);
  });

  it("refuses a forged session token with 401", async () => {
    const outcome = await callHandler(privacyLoader, new Request("https://afterglow.test/app/privacy", { headers: { Authorization: "Bearer forged" } }));
    expect(outcome.status).toBe(401);
  });

  it("pages with cursors when there are more than 25 requests, forwards and back", async () => {
    const STORE = "privacy-paging";
    const SHOP = `${STORE}.myshopify.com`;
    await installShop(SHOP);
    for (let i = 1; i <= 30; i++) {
      const body = { shop_id: 1, shop_domain: SHOP, orders_requested: [], customer: { id: 600 + i }, data_request: { id: 700 + i } };
      expect((await callAction(dataRequest, signedWebhook({ topic: "customers/data_request", shop: SHOP, body }))).status).toBe(200);
    }
    // Same receivedAt for several rows is likely at this speed: the id breaks the tie.
    const load = async (query = "") => (await callHandler(privacyLoader, await adminRequest(STORE, `/app/privacy${query}`))).value as Awaited<ReturnType<typeof privacyLoader>>;
    const first = await load();
    const second = await load(`?after=${first.pageInfo.nextCursor}`);
    const back = await load(`?before=${second.pageInfo.previousCursor}`);
    const expected = (await prisma.privacyRequest.findMany({ where: { shop: SHOP }, orderBy: [{ receivedAt: "desc" }, { id: "desc" }] })).map((r) => r.id);
    expect(first.requests.map((r) => r.id)).toEqual(expected.slice(0, 25));
    expect(first.pageInfo).toMatchObject({ hasNext: true, hasPrevious: false });
    expect(second.requests.map((r) => r.id)).toEqual(expected.slice(25));
    expect(second.pageInfo).toMatchObject({ hasNext: false, hasPrevious: true });
    expect(back.requests.map((r) => r.id)).toEqual(expected.slice(0, 25));
    expect(back.pageInfo).toMatchObject({ hasNext: true, hasPrevious: false });
    // A malformed cursor is the first page.
    expect((await load("?after=not-a-cursor")).requests.map((r) => r.id)).toEqual(expected.slice(0, 25));
  });
});

describe("GET /app/privacy/:id/export.json", () => {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  /** The customer's own rows and the guest rows of the orders the request named, straight from the database. */
  const ownedOrGuest = { OR: [{ customerId: SEED_IDS.customer }, { customerId: null, orderId: { in: ["1001", "1002", "1003"] } }] };

  it("is exactly that customer's rows of that shop, checked row by row against the database", async () => {
    // The customer's reward code was then used on their order 1002 (the file is assembled at download time).
    const usedAt = new Date("2026-12-04T09:30:00.000Z");
    await prisma.rewardRedemption.updateMany({ where: { shop: A.shop, customerId: SEED_IDS.customer }, data: { status: "used", usedOrderId: SEED_IDS.orders[1], usedAt } });
    const row = await dataRequestRow(A.shop);
    const result = await download(A.store, row.id);
    expect(result.status).toBe(200);
    expect(result.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(result.headers.get("Content-Disposition")).toBe(`attachment; filename="afterglow-data-request-${row.id}-customer-501.json"`);
    expect(result.headers.get("Cache-Control")).toBe("no-store");
    const file = JSON.parse(result.text) as CustomerDataExport;

    // Header
    expect(file.header).toMatchObject({
      shop: A.shop,
      customerId: "501",
      privacyRequestId: row.id,
      shopifyDataRequestId: SEED_IDS.dataRequest,
      ordersRequested: ["1001", "1002", "1003"],
      requestReceivedAt: row.receivedAt.toISOString(),
      truncated: { orders: false, surveyAnswers: false, pointsLedger: false, tierHistory: false, followUps: false, rewardRedemptions: false, flowActionRuns: false },
    });
    expect(Date.parse(file.header.generatedAt)).toBeGreaterThan(row.receivedAt.getTime() - 1);
    expect(file.header.notHeld.join(" ")).toMatch(/Phone numbers, postal addresses and payment details/);

    // Customer facts
    const customer = await prisma.customer.findUniqueOrThrow({ where: { shop_id: { shop: A.shop, id: "501" } } });
    expect(file.customer).toEqual({
      id: "501",
      firstName: A.texts.firstName,
      lastName: A.texts.lastName,
      email: A.texts.email,
      firstSeenAt: customer.createdAt.toISOString(),
      lifetimeNetSpend: { minor: Number(customer.lifetimeNetMinor), currency: "USD", decimal: "190.00" },
      last12MonthsNetSpend: { minor: Number(customer.rolling12NetMinor), currency: "USD", decimal: expect.any(String) },
      lifetimeGrossSpend: { minor: 21000, currency: "USD", decimal: "210.00" },
      orderCount: 2,
      last12MonthsOrderCount: customer.rolling12Orders,
      firstOrderAt: iso(customer.firstOrderAt),
      lastOrderAt: iso(customer.lastOrderAt),
      tier: { slug: customer.tierSlug, name: A.texts.tierName },
      pointsBalance: Number(customer.pointsBalance),
      pointsPending: Number(customer.pointsPending),
      pointsPendingNextAt: iso(customer.pointsPendingNextAt),
    });
    expect(customer.lifetimeNetMinor).toBe(19000n);

    // Orders: 1001 and 1002 (theirs) and 1003 (a named guest order); never 1004 (another customer) or 1005 (not named).
    const orders = await prisma.order.findMany({ where: { shop: A.shop, OR: [{ customerId: "501" }, { customerId: null, id: { in: ["1001", "1002", "1003"] } }] }, orderBy: { placedAt: "asc" } });
    expect(orders.map((o) => o.id)).toEqual(["1001", "1002", "1003"]);
    expect(file.orders).toEqual(
      orders.map((o) => ({
        id: o.id,
        name: o.name,
        guest: o.customerId === null,
        placedAt: o.placedAt.toISOString(),
        total: { minor: Number(o.totalMinor), currency: o.currency, decimal: expect.stringMatching(/^\d+\.\d{2}$/) },
        presentmentTotal: { minor: Number(o.presentmentTotalMinor), currency: o.presentmentCurrency, decimal: expect.any(String) },
        refunded: { minor: o.id === "1002" ? 2000 : 0, currency: o.currency, decimal: o.id === "1002" ? "20.00" : "0.00" },
        financialStatus: o.financialStatus,
        cancelledAt: null,
        test: false,
      })),
    );

    // Survey answers: theirs and the named guest order's, with comment, attribution, locale and dates.
    const answers = await prisma.surveyResponse.findMany({ where: { shop: A.shop, ...ownedOrGuest }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(answers.map((a) => a.orderId).sort()).toEqual(["1001", "1003"]);
    expect(file.surveyAnswers).toEqual(
      answers.map((a) => ({
        id: a.id,
        orderId: a.orderId,
        guest: a.customerId === null,
        nps: a.nps,
        csat: a.csat,
        ces: a.ces,
        attribution: a.attributionOption,
        attributionOther: a.attributionOther,
        comment: a.comment,
        customAnswers: a.customAnswers,
        customText: a.customText,
        locale: a.locale,
        surface: a.surface,
        answeredAt: a.createdAt.toISOString(),
        updatedAt: a.updatedAt.toISOString(),
      })),
    );
    expect(file.surveyAnswers.map((a) => a.comment)).toEqual(expect.arrayContaining([A.texts.comment, A.texts.guestComment]));

    // Points ledger and tier history
    const ledger = await prisma.pointsLedger.findMany({ where: { shop: A.shop, customerId: "501" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(ledger.length).toBeGreaterThanOrEqual(4);
    expect(file.pointsLedger).toEqual(ledger.map((l) => ({ id: l.id, at: l.createdAt.toISOString(), kind: l.kind, points: Number(l.points), orderId: l.orderId, note: l.note, staff: l.staff })));
    expect(file.pointsLedger.some((l) => l.note === A.texts.pointsReason)).toBe(true);
    const tiers = await prisma.tierChange.findMany({ where: { shop: A.shop, customerId: "501" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(tiers.length).toBeGreaterThanOrEqual(1);
    const tierName = (slug: string | null) => (slug === null ? null : { slug, name: slug === customer.tierSlug ? A.texts.tierName : expect.any(String) });
    expect(file.tierHistory).toEqual(tiers.map((t) => ({ id: t.id, at: t.createdAt.toISOString(), from: tierName(t.fromSlug), to: tierName(t.toSlug), cause: t.cause })));

    // Follow-ups: the recovery on 1001 (status, owner, notes) and the thank-you mark on the guest answer to 1003.
    const followUps = await prisma.followUp.findMany({ where: { shop: A.shop, ...ownedOrGuest }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(followUps.map((f) => [f.orderId, f.kind])).toEqual([["1001", "recovery"], ["1003", "thank-you"]]);
    expect(file.followUps).toEqual(
      followUps.map((f) => ({
        id: f.id,
        orderId: f.orderId,
        surveyAnswerId: f.responseId,
        kind: f.kind,
        trigger: f.trigger,
        status: f.status,
        owner: f.owner,
        notes: f.notes,
        createdAt: f.createdAt.toISOString(),
        updatedAt: f.updatedAt.toISOString(),
        resolvedAt: iso(f.resolvedAt),
      })),
    );
    expect(file.followUps[0]).toMatchObject({ status: "contacted", owner: A.texts.owner, notes: A.texts.notes });

    // Reward redemptions: the code 501 redeemed from their customer account, used on their order 1002.
    const redemptions = await prisma.rewardRedemption.findMany({ where: { shop: A.shop, customerId: SEED_IDS.customer } });
    expect(redemptions).toHaveLength(1);
    expect(file.rewardRedemptions).toEqual(
      redemptions.map((r) => ({
        id: r.id,
        rewardId: r.rewardId,
        reward: A.texts.rewardTitle,
        points: 100,
        code: r.code,
        status: "used",
        reason: null,
        issuedBy: null,
        staffReason: null,
        expiresAt: r.expiresAt.toISOString(),
        usedOnOrder: "1002",
        usedAt: "2026-12-04T09:30:00.000Z",
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      })),
    );

    // Nothing of shop B, of customer 502 or of the guest order the request did not name.
    expect(result.text).not.toContain(B.marker);
    expect(result.text).not.toContain(A.texts.otherFirstName);
    expect(result.text).not.toContain("unnamed guest comment");
    expect(result.text).not.toContain("\"1004\"");
    expect(result.text).not.toContain("\"1005\"");
  });

  it("lists the Shopify Flow trigger payloads about the customer and the named guest orders, exactly as stored (decision 050)", async () => {
    // GIVEN triggers about 501 (one sent, one queued), 502, the named guest order 1003 and the unnamed 1005
    const STORE = "privacy-flow";
    const F = await seedShop(STORE, "FOXTROT");
    const ids = await seedFlowTriggerMessages(F);
    const row = await dataRequestRow(F.shop);

    // WHEN the merchant downloads the export of 501's request (orders 1001, 1002, 1003)
    const file = JSON.parse((await download(STORE, row.id)).text) as CustomerDataExport;

    // THEN it holds exactly 501's and 1003's messages, oldest first, with the payload each carried
    const messages = await prisma.outboxMessage.findMany({ where: { shop: F.shop, id: { in: [ids.sent, ids.queued, ids.guest] } }, orderBy: { id: "asc" } });
    expect(messages.map((m) => m.id)).toEqual([ids.sent, ids.queued, ids.guest]);
    expect(file.flowTriggers).toEqual(
      messages.map((m) => ({
        id: m.id,
        trigger: m.id === ids.guest ? "thank-you-requested" : "follow-up-status-changed",
        payload: (JSON.parse(m.variables) as { payload: unknown }).payload,
        status: m.id === ids.sent ? "delivered" : "pending",
        orderId: m.id === ids.guest ? "1003" : "1001",
        queuedAt: m.createdAt.toISOString(),
        sentAt: m.id === ids.sent ? "2026-10-07T11:00:00.000Z" : null,
      })),
    );
    const recovery = await prisma.followUp.findFirstOrThrow({ where: { shop: F.shop, orderId: "1001", kind: "recovery" } });
    expect(file.flowTriggers[0]!.payload).toEqual({
      customer_id: 501,
      order_id: 1001,
      "follow up id": recovery.id,
      "previous status": "contacted",
      status: "resolved",
      owner: F.texts.owner,
    });
    expect(file.header.truncated).toMatchObject({ flowTriggers: false });

    // AND after the customer's redaction the section is empty
    const redact = { shop_id: 1, shop_domain: F.shop, customer: { id: 501 }, orders_to_redact: [1001, 1002, 1003] };
    expect((await callAction(customersRedact, signedWebhook({ topic: "customers/redact", shop: F.shop, body: redact }))).status).toBe(200);
    expect((JSON.parse((await download(STORE, row.id)).text) as CustomerDataExport).flowTriggers).toEqual([]);
  });

  it("shows the erasure once the customer is redacted (it is assembled at download time)", async () => {
    const STORE = "privacy-later";
    const C = await seedShop(STORE, "CHARLIE");
    const id = (await dataRequestRow(C.shop)).id;
    const redact = { shop_id: 1, shop_domain: C.shop, customer: { id: 501, email: C.texts.email }, orders_to_redact: [1001, 1002, 1003] };
    expect((await callAction(customersRedact, signedWebhook({ topic: "customers/redact", shop: C.shop, body: redact }))).status).toBe(200);
    const file = JSON.parse((await download(STORE, id)).text) as CustomerDataExport;
    expect(file.customer).toMatchObject({ id: "501", firstName: null, lastName: null, email: null, orderCount: 2 });
    expect(file.surveyAnswers.map((a) => [a.orderId, a.comment, a.attributionOther])).toEqual([["1001", null, null], ["1003", null, null]]);
    expect(file.surveyAnswers[0]).toMatchObject({ nps: 2, csat: 1 });
    expect(file.followUps[0]).toMatchObject({ notes: null, owner: C.texts.owner, status: "contacted" });
    // Their reward code went with the redaction; the points it took stay in the ledger.
    expect(file.rewardRedemptions).toEqual([]);
    expect(file.pointsLedger.filter((l) => l.kind === "redemption").map((l) => l.points)).toEqual([-100]);
    // The shopper's texts are gone; what staff and the merchant wrote (owner, points reason, tier names) stays.
    for (const text of [C.texts.firstName, C.texts.lastName, C.texts.email, C.texts.comment, C.texts.guestComment, C.texts.attributionOther, C.texts.notes]) {
      expect(JSON.stringify(file)).not.toContain(text);
    }
    // The untouched guest answer to 1005 (not named) keeps its comment.
    expect((await prisma.surveyResponse.findUniqueOrThrow({ where: { shop_orderId: { shop: C.shop, orderId: "1005" } } })).comment).toContain("CHARLIE");
  });

  it("404 for another shop's request, a redaction, an unknown or malformed id; nothing of the other shop in the answer", async () => {
    const bRequest = await dataRequestRow(B.shop);
    const aRedaction = await prisma.privacyRequest.findFirstOrThrow({ where: { shop: A.shop, kind: "customer-redact" } });
    for (const id of [bRequest.id, aRedaction.id, 999_999, "abc", "1e3", "-1"]) {
      const result = await download(A.store, id);
      expect(result.status, `id ${id}`).toBe(404);
      expect(result.text).not.toContain(B.marker);
    }
  });

  it("the Download button's document request (id_token, shop, host, embedded=1 on the URL) gets the file", async () => {
    const id = (await dataRequestRow(A.shop)).id;
    const request = await setUpValidRequest(
      { type: RequestType.Admin, store: A.store, apiKey: TEST_API_KEY, apiSecretKey: TEST_SECRET },
      new Request(`https://afterglow.test/app/privacy/${id}/export.json`),
    );
    expect(new URL(request.url).searchParams.get("id_token")).toBeTruthy();
    const result = await callHandler(exportLoader, request, { id: String(id) });
    expect(result.status).toBe(200);
    expect((JSON.parse(result.text) as CustomerDataExport).header.shop).toBe(A.shop);
  });

  it("without a session: the usual admin answers (login redirect, 401 to a forged token, bounce for a bad id_token), never the file", async () => {
    const id = String((await dataRequestRow(A.shop)).id);
    const path = `/app/privacy/${id}/export.json`;
    const none = await callHandler(exportLoader, new Request(`https://afterglow.test${path}`), { id });
    expect(none.status).toBe(302);
    expect(none.headers.get("Location")).toBe("/auth/login");
    const forged = await callHandler(exportLoader, new Request(`https://afterglow.test${path}`, { headers: { Authorization: "Bearer forged" } }), { id });
    expect(forged.status).toBe(401);
    const wrongSecret = await setUpValidRequest(
      { type: RequestType.Admin, store: A.store, apiKey: TEST_API_KEY, apiSecretKey: "not-the-app-secret" },
      new Request(`https://afterglow.test${path}`),
    );
    const bounced = await callHandler(exportLoader, wrongSecret, { id });
    expect(bounced.status).toBe(302);
    expect(new URL(bounced.headers.get("Location")!, "https://afterglow.test").pathname).toBe("/auth/session-token");
    for (const result of [none, forged, bounced]) expect(result.text).not.toContain(A.marker);
  });
});
