import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { prisma } from "~/db.server";
import { erasePersonalData } from "~/models/privacy.server";
import { listSurveyResponses } from "~/models/survey-responses.server";
import { action } from "~/routes/api.checkout.survey";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { sweepPendingAnswersAllShops } from "~/services/scheduler.server";
import { recordSurveyAnswer, sweepPendingAnswers } from "~/services/survey-answers.server";
import { resetSurveyRateLimits } from "../support/rate-limits";
import { checkoutRequest, type CheckoutRequestOptions } from "../support/checkout";
import { restOrder } from "../support/orders";
import { callAction, signedWebhook } from "../support/webhooks";

/**
 * Issue 14 defects 6, 8 and 9 through the real route with real session-token JWTs: who may write an order's
 * answers, answers to orders not received yet (pending, in no figure), the 72 h clean-up, the answer window, no
 * attacker-chosen text in logs, and the comment limit in characters.
 */
const STORE = "integrity";
const SHOP = `${STORE}.myshopify.com`;
const PATH = "/api/checkout/survey";
const HOUR = 3600_000;
const DAY = 24 * HOUR;

const ADA = { id: 601, first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" };
const GRACE = { id: 602, first_name: "Grace", last_name: "Hopper", email: "grace@example.com" };
/** A customer with no other answers in this file, so the redaction counts below are hers alone. */
const LIN = { id: 603 };
const gid = (customer: { id: number }) => `gid://shopify/Customer/${customer.id}`;

let nextOrder = 7000;
const newOrderId = () => (nextOrder += 1);

const body = (order: number, answers: Record<string, unknown> = { nps: 9 }) => ({ orderId: `gid://shopify/OrderIdentity/${order}`, locale: "en", answers });
const post = async (order: number, answers: Record<string, unknown>, options: CheckoutRequestOptions = {}) =>
  callAction(action, await checkoutRequest(STORE, PATH, { ...options, body: body(order, answers) }));

async function deliverOrder(id: number, customer: typeof ADA | null, placedDaysAgo = 1) {
  const at = new Date(Date.now() - placedDaysAgo * DAY).toISOString();
  const order = restOrder({ id, created_at: at, processed_at: at, updated_at: at });
  const payload = customer ? { ...order, customer } : { ...order, customer: null };
  const response = await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP, body: payload }));
  expect(response.status).toBe(200);
}

const stored = (orderId: number) => prisma.surveyResponse.findUnique({ where: { shop_orderId: { shop: SHOP, orderId: String(orderId) } } });
const pending = (orderId: number) => prisma.pendingSurveyAnswer.findUnique({ where: { shop_orderId: { shop: SHOP, orderId: String(orderId) } } });

/** Every figure an answer can reach: the rollups, the answers list, the follow-up queue. */
async function figuresFor(orderId: number) {
  const answers = await prisma.cxDaily.aggregate({ where: { shop: SHOP, dimension: "tier" }, _sum: { answers: true, detractors: true } });
  return {
    // Rollup sums are bigint columns (Prisma reads them as bigint); these counts are small.
    rollupAnswers: Number(answers._sum.answers ?? 0),
    rollupDetractors: Number(answers._sum.detractors ?? 0),
    listed: (await listSurveyResponses(SHOP, { limit: 100 })).rows.some((r) => r.orderId === String(orderId)),
    followUps: await prisma.followUp.count({ where: { shop: SHOP, orderId: String(orderId) } }),
  };
}

beforeEach(() => resetSurveyRateLimits());

describe("who may write an order's answers (defect 6)", () => {
  it("the order's customer creates and replaces; another customer is refused with 403 and changes nothing", async () => {
    const order = newOrderId();
    await deliverOrder(order, ADA);

    // WHEN Ada answers her order, THEN 201; WHEN she changes it, THEN 200
    expect((await post(order, { nps: 3 }, { sub: gid(ADA) })).status).toBe(201);
    const replaced = await post(order, { nps: 8 }, { sub: gid(ADA) });
    expect(replaced.status).toBe(200);
    expect(await stored(order)).toMatchObject({ nps: 8, customerId: "601", tokenCustomerId: "601" });

    // WHEN Grace's token tries to replace Ada's answer, THEN 403 with a reason, and Ada's answer stands
    const other = await post(order, { nps: 0, comment: "spam" }, { sub: gid(GRACE) });
    expect(other.status).toBe(403);
    expect(await other.json()).toEqual({ errors: { order: "This order belongs to another customer" } });
    expect(await stored(order)).toMatchObject({ nps: 8, comment: null });

    // AND Grace cannot create the first answer of another order of Ada's either
    const second = newOrderId();
    await deliverOrder(second, ADA);
    expect((await post(second, { nps: 1 }, { sub: gid(GRACE) })).status).toBe(403);
    expect(await stored(second)).toBeNull();
    expect(await pending(second)).toBeNull();
  });

  it("a guest's token creates an order's answers, and may never replace them (409)", async () => {
    const order = newOrderId();
    await deliverOrder(order, ADA);
    expect((await post(order, { nps: 10 })).status).toBe(201);
    expect(await stored(order)).toMatchObject({ nps: 10, customerId: "601", tokenCustomerId: null });

    const replace = await post(order, { nps: 0 });
    expect(replace.status).toBe(409);
    expect(await replace.json()).toEqual({ errors: { order: "This order already has answers; only its customer, signed in, can change them" } });
    expect((await stored(order))?.nps).toBe(10);

    // The order's own customer, signed in, still can (within the 24 h edit window).
    expect((await post(order, { nps: 9 }, { sub: gid(ADA) })).status).toBe(200);
    expect((await stored(order))?.nps).toBe(9);
  });

  it("a token whose sub is not a customer GID has a guest's rights: create, never replace", async () => {
    const order = newOrderId();
    await deliverOrder(order, ADA);
    const odd = { sub: "gid://shopify/StaffMember/1" };
    expect((await post(order, { nps: 9 }, odd)).status).toBe(201);
    expect(await stored(order)).toMatchObject({ nps: 9, tokenCustomerId: null });
    expect((await post(order, { nps: 0 }, odd)).status).toBe(409);
    expect((await stored(order))?.nps).toBe(9);
  });
});

describe("answers to orders the app has not received yet (defect 6)", () => {
  it("are in no figure until the order webhook arrives, then counted, with their follow-up opened", async () => {
    // GIVEN Ada answers (unhappy) before the order webhook
    const order = newOrderId();
    const before = await figuresFor(order);
    expect((await post(order, { nps: 2, comment: "late" }, { sub: gid(ADA) })).status).toBe(201);

    // THEN the answer waits apart: no rollup, no list row, no follow-up
    expect(await pending(order)).toMatchObject({ nps: 2, comment: "late", tokenCustomerId: "601" });
    expect(await stored(order)).toBeNull();
    expect(await figuresFor(order)).toEqual(before);

    // AND only the token's customer may change it meanwhile; a guest may not
    expect((await post(order, { nps: 1 })).status).toBe(409);
    expect((await post(order, { nps: 1 }, { sub: gid(GRACE) })).status).toBe(403);
    expect((await post(order, { nps: 3 }, { sub: gid(ADA) })).status).toBe(200);

    // WHEN the order webhook arrives naming Ada
    await deliverOrder(order, ADA);

    // THEN the answer is counted, linked to Ada, dated when she answered, and its recovery follow-up is open
    expect(await pending(order)).toBeNull();
    expect(await stored(order)).toMatchObject({ nps: 3, comment: "late", customerId: "601", tokenCustomerId: "601" });
    expect(await figuresFor(order)).toEqual({
      rollupAnswers: before.rollupAnswers + 1,
      rollupDetractors: before.rollupDetractors + 1,
      listed: true,
      followUps: 1,
    });
    expect(await prisma.followUp.findFirst({ where: { shop: SHOP, orderId: String(order) } })).toMatchObject({ kind: "recovery", status: "open", trigger: "nps:3", customerId: "601" });
  });

  it("a guest's pending answer is confirmed whoever the order names", async () => {
    const order = newOrderId();
    expect((await post(order, { nps: 9 })).status).toBe(201);
    await deliverOrder(order, GRACE);
    expect(await stored(order)).toMatchObject({ nps: 9, customerId: "602", tokenCustomerId: null });
  });

  it("are deleted when the order arrives naming another customer than the token did", async () => {
    const order = newOrderId();
    const before = await figuresFor(order);
    expect((await post(order, { nps: 0, comment: "not my order" }, { sub: gid(GRACE) })).status).toBe(201);
    await deliverOrder(order, ADA);
    expect(await pending(order)).toBeNull();
    expect(await stored(order)).toBeNull();
    expect(await figuresFor(order)).toEqual(before);
  });

  it("are deleted by the periodic sweep after 72 hours without their order; younger ones stay", async () => {
    const old = newOrderId();
    const young = newOrderId();
    const now = Date.now();
    const submission = (order: number) => ({ ...body(order), orderNumericId: String(order) });
    await recordSurveyAnswer(SHOP, submission(old), { surface: "thank-you", now: new Date(now - 73 * HOUR), writer: { customerId: null } });
    await recordSurveyAnswer(SHOP, submission(young), { surface: "thank-you", now: new Date(now - 71 * HOUR), writer: { customerId: null } });
    expect(await pending(old)).not.toBeNull();

    expect(await sweepPendingAnswers(SHOP, new Date(now))).toEqual({ settled: 0, expired: 1 });
    expect(await pending(old)).toBeNull();
    expect(await pending(young)).toMatchObject({ nps: 9 });
  });

  it("the background work sweeps every shop holding pending answers", async () => {
    const shop = "integrity-sweep.myshopify.com";
    const order = newOrderId();
    const submission = { ...body(order), orderNumericId: String(order) };
    await recordSurveyAnswer(shop, submission, { surface: "thank-you", now: new Date(Date.now() - 80 * HOUR), writer: { customerId: null } });
    await sweepPendingAnswersAllShops();
    expect(await prisma.pendingSurveyAnswer.count({ where: { shop } })).toBe(0);
  });

  it("the sweep settles a pending answer whose order was stored without settling it", async () => {
    // GIVEN a pending answer, and its order stored beside it without a settle (another instance's transaction
    // committed the order between this answer's read and its insert)
    const template = newOrderId();
    await deliverOrder(template, ADA);
    const order = newOrderId();
    expect((await post(order, { nps: 7 })).status).toBe(201);
    const row = await prisma.order.findFirstOrThrow({ where: { shop: SHOP, id: String(template) } });
    await prisma.order.create({ data: { ...row, id: String(order), name: `#${order}` } });
    expect(await pending(order)).not.toBeNull();

    // WHEN the periodic sweep runs, THEN the answer is settled (confirmed for Ada's order)
    expect(await sweepPendingAnswers(SHOP)).toEqual({ settled: 1, expired: 0 });
    expect(await pending(order)).toBeNull();
    expect(await stored(order)).toMatchObject({ nps: 7, customerId: "601" });
  });
});

describe("pending answers and privacy", () => {
  it("customers/redact erases the free text of answers still waiting for their order, by the token's customer or the named orders", async () => {
    const mine = newOrderId();
    const named = newOrderId();
    const other = newOrderId();
    expect((await post(mine, { nps: 4, comment: "call me" }, { sub: gid(LIN) })).status).toBe(201);
    expect((await post(named, { nps: 5, attribution: { optionId: "other", other: "my neighbour" } })).status).toBe(201);
    expect((await post(other, { nps: 6, comment: "keep" }, { sub: gid(GRACE) })).status).toBe(201);

    const erased = await erasePersonalData(SHOP, String(LIN.id), [String(named)]);
    expect(erased.answers).toBe(2);
    expect(await pending(mine)).toMatchObject({ nps: 4, comment: null, attributionOther: null });
    expect(await pending(named)).toMatchObject({ nps: 5, attributionOption: "other", attributionOther: null });
    expect((await pending(other))?.comment).toBe("keep");
  });
});

describe("the per-shop answer window (defect 6)", () => {
  it("refuses answers to orders placed longer ago than the window (422 with a reason), per shop", async () => {
    const order = newOrderId();
    await deliverOrder(order, ADA, 100);
    const refused = await post(order, { nps: 9 }, { sub: gid(ADA) });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ errors: { order: "This order was placed more than 90 days ago; answers are no longer taken" } });
    expect(await stored(order)).toBeNull();

    // WHEN the shop widens its window to 120 days, THEN the same answer is taken
    await prisma.surveySettings.upsert({ where: { shop: SHOP }, create: { shop: SHOP, draft: "{}", answerWindowDays: 120 }, update: { answerWindowDays: 120 } });
    try {
      expect((await post(order, { nps: 9 }, { sub: gid(ADA) })).status).toBe(201);
    } finally {
      await prisma.surveySettings.update({ where: { shop: SHOP }, data: { answerWindowDays: 90 } });
    }
  });

  it("checks a pending answer's window when its order arrives", async () => {
    const order = newOrderId();
    expect((await post(order, { nps: 9 }, { sub: gid(ADA) })).status).toBe(201);
    await deliverOrder(order, ADA, 95);
    expect(await pending(order)).toBeNull();
    expect(await stored(order)).toBeNull();
  });
});

describe("logs (defect 8)", () => {
  it("a refused body's unknown keys never reach the log: only known field names and a count", async () => {
    const logFile = path.join(inject("logDir"), `${process.pid}.jsonl`);
    const key = "victim.person+survey@example.com";
    const response = callAction(action, await checkoutRequest(STORE, PATH, { body: { ...body(newOrderId(), { nps: 42, [key]: 1 }), [key]: "x" } }));
    const answered = await response;
    expect(answered.status).toBe(400);
    // The sender gets its own keys back, named.
    expect(await answered.json()).toEqual({
      errors: { [key]: "Unknown field", [`answers.${key}`]: "Unknown field", "answers.nps": "Expected a whole number from 0 to 10" },
    });
    const lines = fs.readFileSync(logFile, "utf8").split("\n").filter((line) => line.includes('"survey answer rejected"'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((line) => line.includes("example.com"))).toBe(false);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ shop: SHOP, fields: "answers.nps", unknownFields: 2 });
  });
});

describe("the comment limit in characters (defect 9)", () => {
  it("takes 600 emoji (1,200 UTF-16 units) and refuses 1,001 characters", async () => {
    const order = newOrderId();
    await deliverOrder(order, ADA);
    const emoji = "🙂".repeat(600);
    expect((await post(order, { nps: 9, comment: emoji }, { sub: gid(ADA) })).status).toBe(201);
    expect((await stored(order))?.comment).toBe(emoji);

    const tooLong = await post(newOrderId(), { nps: 9, comment: "🙂".repeat(1001) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toEqual({ errors: { "answers.comment": "Expected text of at most 1000 characters" } });
  });
});
