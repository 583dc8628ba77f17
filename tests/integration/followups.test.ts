import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { validateSubmission } from "~/domain/survey/answer";
import { loader as layoutLoader } from "~/routes/app/route";
import { action as followUpsAction, loader as followUpsLoader } from "~/routes/app.followups/route";
import { action as surveyEndpoint } from "~/routes/api.checkout.survey";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { checkoutRequest } from "../support/checkout";
import { restOrder } from "../support/orders";
import { adminRequest, installShop } from "../support/sessions";
import { callAction, signedWebhook } from "../support/webhooks";

const STORE_A = "fu-alpha";
const SHOP_A = `${STORE_A}.myshopify.com`;
const STORE_B = "fu-beta";
const SHOP_B = `${STORE_B}.myshopify.com`;
const HOUR = 3600_000;

// Several signed webhooks, checkout posts and admin calls per test: 5 s is too tight on a busy 2-core machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

type Args = { request: Request; params: Record<string, string>; context: Record<string, unknown> };
const args = (request: Request): Args => ({ request, params: {}, context: {} });

/**
 * The order as the app would have it before anyone answers: a guest order placed an hour before `at`, unless the
 * order is already stored (answers to orders not received yet wait apart and open no follow-up, decision 022).
 */
async function ensureOrder(shop: string, order: number, at = new Date()) {
  if (await prisma.order.findUnique({ where: { shop_id: { shop, id: String(order) } } })) return;
  const placed = new Date(at.getTime() - HOUR).toISOString();
  const body = restOrder({ id: order, created_at: placed, processed_at: placed, updated_at: placed });
  delete (body as { customer?: unknown }).customer;
  expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body }))).status).toBe(200);
}

/** The shopper answers through the real checkout endpoint (session token of `store`), for an order the app has. */
async function answerAtCheckout(store: string, order: number, answers: Record<string, unknown>, options: { orderKnown?: boolean; sub?: string } = {}) {
  if (options.orderKnown !== false) await ensureOrder(`${store}.myshopify.com`, order);
  const request = await checkoutRequest(store, "/api/checkout/survey", {
    ...(options.sub ? { sub: options.sub } : {}),
    body: { orderId: `gid://shopify/OrderIdentity/${order}`, locale: "en", answers },
  });
  const response = await callAction(surveyEndpoint, request);
  expect([200, 201]).toContain(response.status);
}

/** The survey service directly, dated `at` (edit-window tests need answers from the past). */
async function answerAt(shop: string, order: number, answers: Record<string, unknown>, at: Date) {
  const checked = validateSubmission({ orderId: `gid://shopify/OrderIdentity/${order}`, locale: "en", answers });
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  await ensureOrder(shop, order, at);
  return recordSurveyAnswer(shop, checked.value, { surface: "order-status", now: at });
}

const followUpsOf = (shop: string, orderId: string) =>
  prisma.followUp.findMany({ where: { shop, orderId }, orderBy: [{ kind: "asc" }] });
const recoveryOf = async (shop: string, orderId: string) => (await followUpsOf(shop, orderId)).find((f) => f.kind === "recovery") ?? null;
const responseOf = (shop: string, orderId: string) => prisma.surveyResponse.findUniqueOrThrow({ where: { shop_orderId: { shop, orderId } } });

/** The page's loader with a real session token of `store`. */
async function page(store: string, query = "") {
  return followUpsLoader(args(await adminRequest(store, `/app/followups${query ? `?${query}` : ""}`)));
}

interface Posted {
  status: number;
  body: { ok: boolean; message?: string; errors?: Record<string, string> };
}

/** The page's action (form post) with a real session token of `store`; normalises `data(body, { status })`. */
async function post(store: string, fields: Record<string, string>): Promise<Posted> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  const out: unknown = await followUpsAction(args(await adminRequest(store, "/app/followups", { method: "POST", body: form })));
  if (out && typeof out === "object" && "init" in out && "data" in out) {
    const wrapped = out as { data: Posted["body"]; init: { status?: number } | null };
    return { status: wrapped.init?.status ?? 200, body: wrapped.data };
  }
  return { status: 200, body: out as Posted["body"] };
}

async function deliverOrder(shop: string, id: number, customer: { id: number; first_name: string; last_name: string; email: string } | null) {
  const at = new Date(Date.now() - HOUR).toISOString();
  const body = restOrder({ id, created_at: at, processed_at: at, updated_at: at, ...(customer ? { customer } : {}) });
  if (!customer) delete (body as { customer?: unknown }).customer;
  const response = await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop, body }));
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  await installShop(SHOP_A);
  await installShop(SHOP_B);
});
beforeEach(() => resetSurveyRateLimits());

describe("opening follow-ups from survey answers", () => {
  it.each([
    [101, { nps: 3 }, "nps:3"],
    [102, { nps: 6 }, "nps:6"],
    [103, { nps: 0 }, "nps:0"],
    [104, { csat: 2 }, "csat:2"],
    [105, { csat: 1, nps: 9 }, "csat:1"],
    [106, { ces: 3 }, "ces:3"],
    [107, { nps: 2, csat: 1, ces: 1 }, "nps:2,csat:1,ces:1"],
    [108, { nps: 8, ces: 2, comment: "Checkout was confusing" }, "ces:2"],
  ])("order %i answered %o opens one open recovery follow-up, trigger %s", async (order, answers, trigger) => {
    // WHEN the shopper answers at checkout
    await answerAtCheckout(STORE_A, order, answers);

    // THEN one recovery follow-up is open for that answer, dated with it, in that shop only
    const response = await responseOf(SHOP_A, String(order));
    const rows = await followUpsOf(SHOP_A, String(order));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      shop: SHOP_A, responseId: response.id, kind: "recovery", status: "open", trigger, owner: null, notes: null, resolvedAt: null,
    });
    expect(rows[0]?.createdAt.getTime()).toBe(response.createdAt.getTime());
  });

  it.each([
    [121, { nps: 7 }],
    [122, { nps: 10, csat: 3, ces: 4 }],
    [123, { csat: 3 }],
    [124, { ces: 4 }],
    [125, { attribution: { optionId: "search" }, comment: "Fine" }],
  ])("order %i answered %o opens nothing", async (order, answers) => {
    await answerAtCheckout(STORE_A, order, answers);
    expect(await responseOf(SHOP_A, String(order))).toBeTruthy();
    expect(await followUpsOf(SHOP_A, String(order))).toEqual([]);
  });

  it("is idempotent: the same unhappy answer again (within the window) keeps one follow-up", async () => {
    // (replacing an answer takes the order's customer, signed in: decision 022)
    await deliverOrder(SHOP_A, 131, { id: 7131, first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" });
    const sub = "gid://shopify/Customer/7131";
    await answerAtCheckout(STORE_A, 131, { nps: 4 }, { sub });
    await answerAtCheckout(STORE_A, 131, { nps: 4 }, { sub });
    await answerAtCheckout(STORE_A, 131, { nps: 4, comment: "still annoyed" }, { sub });
    const rows = await followUpsOf(SHOP_A, "131");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ trigger: "nps:4", status: "open" });
    // and the unique key holds in the database itself
    await expect(
      prisma.followUp.create({
        data: { ...rows[0]!, id: undefined, createdAt: new Date(), updatedAt: new Date() },
      }),
    ).rejects.toThrow();
  });
});

describe("answers edited within their 24 h window", () => {
  const t0 = () => new Date(Date.now() - 2 * HOUR);

  it("a happy answer turned unhappy opens one; its trigger follows the edits; turned happy again, the untouched follow-up goes", async () => {
    const start = t0();
    expect(await answerAt(SHOP_A, 201, { nps: 9 }, start)).toEqual({ outcome: "created" });
    expect(await followUpsOf(SHOP_A, "201")).toEqual([]);

    // WHEN the shopper lowers the score, THEN a follow-up opens, dated at the edit
    const edit = new Date(start.getTime() + HOUR);
    expect(await answerAt(SHOP_A, 201, { nps: 4 }, edit)).toEqual({ outcome: "updated" });
    const opened = await recoveryOf(SHOP_A, "201");
    expect(opened).toMatchObject({ status: "open", trigger: "nps:4" });
    expect(opened?.createdAt.getTime()).toBe(edit.getTime());

    // WHEN they add a low CSAT (the NPS they left out is kept), THEN the trigger names both
    await answerAt(SHOP_A, 201, { csat: 1 }, new Date(edit.getTime() + 60_000));
    expect(await recoveryOf(SHOP_A, "201")).toMatchObject({ id: opened?.id, trigger: "nps:4,csat:1" });

    // WHEN they make it a happy answer again, THEN the follow-up nobody touched is gone
    await answerAt(SHOP_A, 201, { nps: 9, csat: 5 }, new Date(edit.getTime() + 120_000));
    expect(await followUpsOf(SHOP_A, "201")).toEqual([]);
  });

  it("never touches a follow-up staff worked on: an owner, notes, or a new status", async () => {
    const start = t0();
    for (const order of [211, 212, 213]) await answerAt(SHOP_A, order, { nps: 2 }, start);
    const [owned, noted, contacted] = await Promise.all(["211", "212", "213"].map((o) => recoveryOf(SHOP_A, o)));
    expect((await post(STORE_A, { intent: "update", id: String(owned!.id), owner: "Sam" })).status).toBe(200);
    expect((await post(STORE_A, { intent: "update", id: String(noted!.id), notes: "Left a voicemail" })).status).toBe(200);
    expect((await post(STORE_A, { intent: "update", id: String(contacted!.id), status: "contacted" })).status).toBe(200);

    // WHEN each shopper edits to a glowing answer, or to another unhappy one
    await answerAt(SHOP_A, 211, { nps: 10 }, new Date(start.getTime() + HOUR));
    await answerAt(SHOP_A, 212, { nps: 1, csat: 1 }, new Date(start.getTime() + HOUR));
    await answerAt(SHOP_A, 213, { nps: 10 }, new Date(start.getTime() + HOUR));

    // THEN every follow-up is as staff left it, trigger included
    expect(await recoveryOf(SHOP_A, "211")).toMatchObject({ id: owned!.id, status: "open", owner: "Sam", trigger: "nps:2" });
    expect(await recoveryOf(SHOP_A, "212")).toMatchObject({ id: noted!.id, notes: "Left a voicemail", trigger: "nps:2" });
    expect(await recoveryOf(SHOP_A, "213")).toMatchObject({ id: contacted!.id, status: "contacted", trigger: "nps:2" });
  });

  it("after the window the answer is locked and its follow-up stays", async () => {
    await answerAt(SHOP_A, 221, { nps: 1 }, new Date(Date.now() - 25 * HOUR));
    expect(await answerAt(SHOP_A, 221, { nps: 10 }, new Date())).toEqual({ outcome: "locked" });
    expect(await recoveryOf(SHOP_A, "221")).toMatchObject({ status: "open", trigger: "nps:1" });
  });
});

describe("the follow-up's customer", () => {
  it("is set at once when the order is known, and later when the order webhook arrives", async () => {
    // GIVEN order 301 already ingested for customer 7301
    await deliverOrder(SHOP_A, 301, { id: 7301, first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" });
    await answerAtCheckout(STORE_A, 301, { nps: 1 });
    expect((await recoveryOf(SHOP_A, "301"))?.customerId).toBe("7301");

    // GIVEN an unhappy answer to order 302 before its webhook: pending, so no follow-up yet
    await answerAtCheckout(STORE_A, 302, { csat: 1, comment: "Broken zip" }, { orderKnown: false });
    expect(await recoveryOf(SHOP_A, "302")).toBeNull();
    // WHEN the order arrives (and the same order id arrives in shop B for someone else)
    await deliverOrder(SHOP_A, 302, { id: 7302, first_name: "Grace", last_name: "Hopper", email: "grace@example.com" });
    await deliverOrder(SHOP_B, 302, { id: 9302, first_name: "Not", last_name: "Grace", email: "x@example.com" });
    // THEN the follow-up opens, belongs to shop A's customer, and the queue links to them
    expect((await recoveryOf(SHOP_A, "302"))?.customerId).toBe("7302");
    const open = await page(STORE_A, "status=open");
    const row = open.queue?.rows.find((r) => r.orderId === "302");
    expect(row).toMatchObject({ orderName: "#302", customerId: "7302", customerName: "Grace Hopper", comment: "Broken zip", csat: 1, trigger: ["CSAT 1"] });
  });
});

describe("working the queue (POST /app/followups)", () => {
  it("moves open → contacted → resolved → open, with owner and notes; resolvedAt follows", async () => {
    await answerAtCheckout(STORE_A, 401, { nps: 3 });
    const id = String((await recoveryOf(SHOP_A, "401"))!.id);

    const contacted = await post(STORE_A, { intent: "update", id, status: "contacted", owner: "  Priya  ", notes: "Called.\r\nSending a new size." });
    expect(contacted).toEqual({ status: 200, body: expect.objectContaining({ ok: true, message: "Marked as contacted" }) });
    expect(await recoveryOf(SHOP_A, "401")).toMatchObject({ status: "contacted", owner: "Priya", notes: "Called.\nSending a new size.", resolvedAt: null });

    const before = Date.now();
    expect((await post(STORE_A, { intent: "update", id, status: "resolved" })).body).toMatchObject({ ok: true, message: "Resolved" });
    const resolved = await recoveryOf(SHOP_A, "401");
    expect(resolved).toMatchObject({ status: "resolved", owner: "Priya" });
    expect(resolved?.resolvedAt?.getTime()).toBeGreaterThanOrEqual(before);

    // a resolved follow-up can only be reopened
    const sideways = await post(STORE_A, { intent: "update", id, status: "contacted" });
    expect(sideways).toEqual({ status: 400, body: expect.objectContaining({ ok: false, errors: { status: "A resolved follow-up can only be reopened" } }) });
    expect((await recoveryOf(SHOP_A, "401"))?.status).toBe("resolved");

    expect((await post(STORE_A, { intent: "update", id, status: "open" })).body).toMatchObject({ ok: true, message: "Reopened" });
    expect(await recoveryOf(SHOP_A, "401")).toMatchObject({ status: "open", resolvedAt: null, owner: "Priya" });

    // open → resolved directly, and clearing the owner with empty text
    expect((await post(STORE_A, { intent: "update", id, status: "resolved", owner: "" })).status).toBe(200);
    expect(await recoveryOf(SHOP_A, "401")).toMatchObject({ status: "resolved", owner: null });
  });

  it("answers bad input with 400 and one message per field, and changes nothing", async () => {
    await answerAtCheckout(STORE_A, 402, { nps: 5 });
    const row = (await recoveryOf(SHOP_A, "402"))!;
    const id = String(row.id);

    const bad = await post(STORE_A, { intent: "update", id, status: "closed", owner: "o".repeat(101), notes: "n".repeat(2001) });
    expect(bad).toEqual({
      status: 400,
      body: expect.objectContaining({
        ok: false,
        errors: {
          status: "Choose open, contacted or resolved",
          owner: "Keep the owner to 100 characters",
          notes: "Keep the notes to 2,000 characters",
        },
      }),
    });
    expect((await post(STORE_A, { intent: "update", id })).body.errors).toEqual({ form: "Nothing to change" });
    expect((await post(STORE_A, { intent: "update", id: "abc", status: "open" })).body.errors).toEqual({ id: "Not a valid follow-up" });
    expect((await post(STORE_A, { intent: "archive", id })).body.errors).toEqual({ intent: "Unknown action" });
    expect((await post(STORE_A, { intent: "update", id: "999999", status: "contacted" })).status).toBe(404);
    expect(await recoveryOf(SHOP_A, "402")).toEqual(row);

    // exactly at the limits is fine
    const full = await post(STORE_A, { intent: "update", id, owner: "o".repeat(100), notes: "n".repeat(2000) });
    expect(full.status).toBe(200);
    expect((await recoveryOf(SHOP_A, "402"))?.notes).toHaveLength(2000);
  });
});

describe("marking passives and promoters", () => {
  it("marks for a thank-you and a review request (recorded only), idempotently; unmarking removes it", async () => {
    await answerAtCheckout(STORE_A, 501, { nps: 10, comment: "Love it" });
    await answerAtCheckout(STORE_A, 502, { nps: 7 });
    const promoter = await responseOf(SHOP_A, "501");

    // WHEN staff marks the promoter for both, the first one twice
    for (const action of ["thank-you", "thank-you", "review-request"]) {
      const result = await post(STORE_A, { intent: "mark", responseId: String(promoter.id), action });
      expect(result.status).toBe(200);
    }
    // THEN there is one row per action, status "marked", and no recovery
    expect((await followUpsOf(SHOP_A, "501")).map((f) => [f.kind, f.status, f.trigger])).toEqual([
      ["review-request", "marked", null],
      ["thank-you", "marked", null],
    ]);
    // AND the answers tab shows the marks, and the passive unmarked
    const answers = await page(STORE_A, "view=answers");
    expect(answers.queue).toBeNull();
    expect(answers.answers?.rows.find((r) => r.orderId === "501")).toMatchObject({ nps: 10, comment: "Love it", marks: ["review-request", "thank-you"] });
    expect(answers.answers?.rows.find((r) => r.orderId === "502")).toMatchObject({ nps: 7, marks: [] });
    const promoters = await page(STORE_A, "view=answers&band=promoter");
    expect(promoters.answers?.rows.every((r) => r.nps >= 9)).toBe(true);
    expect(promoters.answers?.rows.some((r) => r.orderId === "502")).toBe(false);
    // AND the Marked tab lists them, filterable by kind
    const marked = await page(STORE_A, "status=marked&kind=review-request");
    expect(marked.queue?.rows.map((r) => [r.orderId, r.kind])).toEqual([["501", "review-request"]]);

    // a marked answer has no status to work
    const markId = String((await followUpsOf(SHOP_A, "501"))[0]!.id);
    expect((await post(STORE_A, { intent: "update", id: markId, status: "resolved" })).status).toBe(400);

    // WHEN unmarked (twice), THEN that mark is gone and the other stays
    for (let i = 0; i < 2; i++) {
      expect((await post(STORE_A, { intent: "unmark", responseId: String(promoter.id), action: "thank-you" })).status).toBe(200);
    }
    expect((await followUpsOf(SHOP_A, "501")).map((f) => f.kind)).toEqual(["review-request"]);
  });

  it("refuses to mark a detractor, or a promoter with a low CSAT (it has a recovery follow-up)", async () => {
    await answerAtCheckout(STORE_A, 511, { nps: 5 });
    await answerAtCheckout(STORE_A, 512, { nps: 9, csat: 2 });
    for (const order of ["511", "512"]) {
      const response = await responseOf(SHOP_A, order);
      const result = await post(STORE_A, { intent: "mark", responseId: String(response.id), action: "thank-you" });
      expect(result).toEqual({
        status: 400,
        body: expect.objectContaining({ errors: { responseId: "Only passives and promoters (NPS 7–10) without a low CSAT or CES can be marked" } }),
      });
      expect((await followUpsOf(SHOP_A, order)).map((f) => f.kind)).toEqual(["recovery"]);
    }
    expect((await page(STORE_A, "view=answers")).answers?.rows.some((r) => r.orderId === "511" || r.orderId === "512")).toBe(false);
  });
});

describe("the queue page: counts, filters, keyset pages", () => {
  const STORE = "fu-pages";
  const SHOP = `${STORE}.myshopify.com`;
  const base = Date.parse("2026-09-01T00:00:00Z");

  beforeAll(async () => {
    await installShop(SHOP);
    // 32 unhappy answers, one an hour, two pairs sharing a timestamp (the id breaks the tie); 3 promoters.
    for (let i = 0; i < 32; i++) {
      const at = new Date(base + (i === 5 || i === 20 ? i - 1 : i) * HOUR);
      await answerAt(SHOP, 600 + i, { nps: i % 7, comment: `answer ${i}` }, at);
    }
    for (let i = 0; i < 3; i++) await answerAt(SHOP, 700 + i, { nps: 9 }, new Date(base + (40 + i) * HOUR));
  });

  it("counts per status, filters by status and kind, and the nav shows the open count", async () => {
    const ids = (await prisma.followUp.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" } })).map((f) => String(f.id));
    for (const id of ids.slice(0, 4)) await post(STORE, { intent: "update", id, status: "contacted", owner: "Mei" });
    for (const id of ids.slice(4, 7)) await post(STORE, { intent: "update", id, status: "resolved" });
    const promoter = await responseOf(SHOP, "700");
    await post(STORE, { intent: "mark", responseId: String(promoter.id), action: "review-request" });

    const open = await page(STORE);
    expect(open.params).toMatchObject({ view: "queue", status: "open" });
    expect(open.counts).toEqual({ open: 25, contacted: 4, resolved: 3, marked: 1, all: 33 });
    expect(open.queue?.rows).toHaveLength(25);
    expect(open.queue?.rows.every((r) => r.status === "open" && r.kind === "recovery")).toBe(true);
    expect(open.queue?.pageInfo).toMatchObject({ hasNext: false, hasPrevious: false });

    const contacted = await page(STORE, "status=contacted");
    expect(contacted.queue?.rows.map((r) => [r.status, r.owner])).toEqual(Array(4).fill(["contacted", "Mei"]));
    expect((await page(STORE, "status=resolved")).queue?.rows.every((r) => r.status === "resolved" && r.resolvedAt !== null)).toBe(true);
    expect((await page(STORE, "status=all&kind=review-request")).queue?.rows.map((r) => r.orderId)).toEqual(["700"]);
    expect((await page(STORE, "status=all&kind=recovery")).queue?.rows).toHaveLength(25);
    expect((await page(STORE, "status=open&kind=thank-you")).queue?.rows).toEqual([]);

    // the layout's nav count: open recovery follow-ups of this shop only
    const layout = await layoutLoader(args(await adminRequest(STORE, "/app")));
    expect(layout).toMatchObject({ openFollowUps: 25 });
  });

  it("pages newest first with keyset cursors: every follow-up exactly once, forwards and back", async () => {
    const expected = (await prisma.followUp.findMany({ where: { shop: SHOP }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] })).map((f) => f.id);
    expect(expected).toHaveLength(33);

    const first = await page(STORE, "status=all");
    expect(first.queue?.pageInfo).toMatchObject({ hasNext: true, hasPrevious: false });
    const second = await page(STORE, `status=all&after=${first.queue!.pageInfo.nextCursor}`);
    expect(second.queue?.pageInfo).toMatchObject({ hasNext: false, hasPrevious: true });
    expect([...first.queue!.rows, ...second.queue!.rows].map((r) => r.id)).toEqual(expected);

    // back from the second page gives the first page again
    const back = await page(STORE, `status=all&before=${second.queue!.pageInfo.previousCursor}`);
    expect(back.queue?.rows.map((r) => r.id)).toEqual(first.queue?.rows.map((r) => r.id));
    expect(back.queue?.pageInfo).toMatchObject({ hasNext: true, hasPrevious: false });

    // an unreadable cursor starts from the top
    expect((await page(STORE, "status=all&after=garbage")).queue?.rows.map((r) => r.id)).toEqual(first.queue?.rows.map((r) => r.id));
  });
});

describe("shop isolation", () => {
  it("shop A can never read or change shop B's follow-ups, even with B's ids", async () => {
    // GIVEN shop B has a follow-up and a marked promoter
    await answerAtCheckout(STORE_B, 801, { nps: 0, comment: "B's secret" });
    await answerAtCheckout(STORE_B, 802, { nps: 10 });
    const bFollowUp = (await recoveryOf(SHOP_B, "801"))!;
    const bPromoter = await responseOf(SHOP_B, "802");
    expect((await post(STORE_B, { intent: "mark", responseId: String(bPromoter.id), action: "thank-you" })).status).toBe(200);
    const bRowsBefore = await prisma.followUp.findMany({ where: { shop: SHOP_B }, orderBy: { id: "asc" } });

    // WHEN shop A uses B's ids
    const update = await post(STORE_A, { intent: "update", id: String(bFollowUp.id), status: "resolved", owner: "Mallory", notes: "x" });
    const mark = await post(STORE_A, { intent: "mark", responseId: String(bPromoter.id), action: "review-request" });
    const unmark = await post(STORE_A, { intent: "unmark", responseId: String(bPromoter.id), action: "thank-you" });

    // THEN each is "not found", and shop B's rows are exactly as they were
    expect([update.status, mark.status, unmark.status]).toEqual([404, 404, 404]);
    expect(update.body.errors).toEqual({ id: "Follow-up not found" });
    expect(await prisma.followUp.findMany({ where: { shop: SHOP_B }, orderBy: { id: "asc" } })).toEqual(bRowsBefore);
    expect(await prisma.followUp.count({ where: { shop: SHOP_A, orderId: { in: ["801", "802"] } } })).toBe(0);

    // AND A's pages never show B's rows
    for (const query of ["status=all", "status=marked", "view=answers"]) {
      const view = await page(STORE_A, query);
      const orderIds = [...(view.queue?.rows ?? []), ...(view.answers?.rows ?? [])].map((r) => r.orderId);
      expect(orderIds).not.toContain("801");
      expect(orderIds).not.toContain("802");
    }
    // AND the counts are per shop
    const bOpen = await layoutLoader(args(await adminRequest(STORE_B, "/app")));
    expect(bOpen).toMatchObject({ openFollowUps: await prisma.followUp.count({ where: { shop: SHOP_B, status: "open" } }) });
  });

  it("refuses a request without a valid session token", async () => {
    const outcome = await followUpsLoader(args(new Request("https://afterglow.test/app/followups", { headers: { Authorization: "Bearer nope" } }))).catch(
      (thrown: unknown) => thrown,
    );
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBe(401);
  });
});

describe("privacy", () => {
  const STORE = "fu-privacy";
  const SHOP = `${STORE}.myshopify.com`;

  it("customers/redact erases the notes on the customer's follow-ups, keeps owner and status; shop/redact deletes the shop's rows", async () => {
    // GIVEN two customers with worked follow-ups, and another shop with one
    await installShop(SHOP);
    await deliverOrder(SHOP, 901, { id: 4901, first_name: "Erin", last_name: "Erase", email: "erin@example.com" });
    await deliverOrder(SHOP, 902, { id: 4902, first_name: "Kai", last_name: "Keep", email: "kai@example.com" });
    await answerAtCheckout(STORE, 901, { nps: 1, comment: "Call me on 555-0100" });
    await answerAtCheckout(STORE, 902, { nps: 2 });
    for (const order of ["901", "902"]) {
      const id = String((await recoveryOf(SHOP, order))!.id);
      await post(STORE, { intent: "update", id, status: "contacted", owner: "Sam", notes: `Spoke to the shopper about ${order}` });
    }
    await answerAtCheckout(STORE_B, 903, { nps: 1 });

    // WHEN Shopify asks to redact customer 4901
    const redact = await callAction(
      customersRedact,
      signedWebhook({ topic: "customers/redact", shop: SHOP, body: { shop_domain: SHOP, customer: { id: 4901, email: "erin@example.com" }, orders_to_redact: [901] } }),
    );
    expect(redact.status).toBe(200);

    // THEN their follow-up keeps its status and staff owner but loses the notes; the other customer's are kept
    expect(await recoveryOf(SHOP, "901")).toMatchObject({ status: "contacted", owner: "Sam", notes: null, trigger: "nps:1" });
    expect((await responseOf(SHOP, "901")).comment).toBeNull();
    expect(await recoveryOf(SHOP, "902")).toMatchObject({ notes: "Spoke to the shopper about 902" });

    // WHEN the shop is redacted (48 h after uninstall)
    const gone = await callAction(shopRedact, signedWebhook({ topic: "shop/redact", shop: SHOP, body: { shop_id: 1, shop_domain: SHOP } }));
    expect(gone.status).toBe(200);
    // THEN none of its follow-ups remain, and shop B's are untouched
    expect(await prisma.followUp.count({ where: { shop: SHOP } })).toBe(0);
    expect(await recoveryOf(SHOP_B, "903")).toMatchObject({ status: "open" });
  });
});
