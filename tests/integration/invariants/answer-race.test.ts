import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { connectRaw, prisma } from "~/db.server";
import { action } from "~/routes/api.checkout.survey";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { resetSurveyRateLimits } from "../../support/rate-limits";
import { checkoutRequest } from "../../support/checkout";
import { allowConsoleError } from "../../support/console";
import { restOrder } from "../../support/orders";
import { callAction, signedWebhook } from "../../support/webhooks";

/**
 * Invariant: one answer set per order, even when two first answers to the same order arrive at the same moment on
 * two app instances (recordSurveyAnswer in app/services/survey-answers.server.ts inserts a first answer with
 * ON CONFLICT DO NOTHING; when another instance wrote the order's first answer between its read and its insert, it
 * decides again on that row in the same transaction).
 *
 * The two instances: this test's app (the route, on the app's connection pool) and a RIVAL — the same service
 * modules imported a second time, so they open their own connection pool to the same PostgreSQL database, as a
 * second process would. The seam that makes them meet: `findAnswerWindowDays`, which recordSurveyAnswer calls inside its
 * transaction after reading the order's answers and before writing, is wrapped so that, when armed, the rival
 * records its whole first answer (and commits) right there.
 */

const seam = vi.hoisted(() => ({ beforeWindowRead: null as null | (() => Promise<void>) }));

vi.mock("~/models/survey-settings.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("~/models/survey-settings.server")>();
  return {
    ...real,
    findAnswerWindowDays: async (...args: Parameters<typeof real.findAnswerWindowDays>) => {
      const hook = seam.beforeWindowRead;
      seam.beforeWindowRead = null;
      if (hook) await hook();
      return real.findAnswerWindowDays(...args);
    },
  };
});

type Service = typeof import("~/services/survey-answers.server");

/** A real deadlock error from the server: two sessions each hold one row and wait for the other's. */
async function realDeadlock(): Promise<unknown> {
  await prisma.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS "DeadlockProbe" ("k" int PRIMARY KEY)`);
  await prisma.$executeRawUnsafe(`INSERT INTO "DeadlockProbe" VALUES (1), (2) ON CONFLICT DO NOTHING`);
  const [a, b] = await Promise.all([connectRaw(), connectRaw()]);
  try {
    for (const c of [a, b]) await c.query(`SET deadlock_timeout = '50ms'`);
    await a.query("BEGIN");
    await b.query("BEGIN");
    await a.query(`UPDATE "DeadlockProbe" SET "k" = "k" WHERE "k" = 1`);
    await b.query(`UPDATE "DeadlockProbe" SET "k" = "k" WHERE "k" = 2`);
    const settled = await Promise.allSettled([
      a.query(`UPDATE "DeadlockProbe" SET "k" = "k" WHERE "k" = 2`),
      b.query(`UPDATE "DeadlockProbe" SET "k" = "k" WHERE "k" = 1`),
    ]);
    return settled.find((s): s is PromiseRejectedResult => s.status === "rejected")?.reason ?? null;
  } finally {
    await Promise.allSettled([a.query("ROLLBACK"), b.query("ROLLBACK")]);
    a.release();
    b.release();
  }
}
type Holder = NonNullable<typeof globalThis.__afterglowPrisma>;

/** The survey service of a second instance: fresh module instances with their own database connection. */
async function secondInstance(): Promise<{ service: Service; holder: Holder }> {
  const app = globalThis.__afterglowPrisma;
  globalThis.__afterglowPrisma = undefined;
  try {
    vi.resetModules();
    const db = await import("~/db.server");
    await db.dbReady;
    const service = await import("~/services/survey-answers.server");
    return { service, holder: globalThis.__afterglowPrisma! };
  } finally {
    globalThis.__afterglowPrisma = app;
  }
}

const rival = await secondInstance();
afterAll(() => rival.holder.client.$disconnect());
beforeEach(() => resetSurveyRateLimits());

const STORE = "answer-race";
const SHOP = `${STORE}.myshopify.com`;
const OWNER = { gid: "gid://shopify/Customer/501", id: "501" };
const gid = (order: number) => `gid://shopify/OrderIdentity/${order}`;

describe("invariant: two simultaneous first answers to one order leave one answer set, never a 500", () => {
  it.each([
    { who: "the order's signed-in customer, twice: the later answer replaces the first", stored: true, customer: true, status: 200, nps: 9, recovery: 0 },
    { who: "a guest, twice: the later one is refused as a guest replace (409), the first stays", stored: true, customer: false, status: 409, nps: 2, recovery: 1 },
    { who: "the customer, twice, before the order arrives: one pending answer set, the later one's", stored: false, customer: true, status: 200, nps: 9, recovery: 0 },
  ])("$who", async ({ stored, customer, status, nps, recovery }) => {
    // GIVEN order N of customer 501 (stored, or not yet received) without answers
    const order = 7100 + (stored ? 0 : 10) + (customer ? 0 : 1);
    if (stored) {
      const placed = new Date(Date.now() - 3600_000).toISOString();
      const body = restOrder({ id: order, created_at: placed, processed_at: placed, updated_at: placed });
      expect((await callAction(ordersCreate, signedWebhook({ topic: "orders/create", shop: SHOP, body }))).status).toBe(200);
    }
    // AND the rival instance will record its first answer (NPS 2) after ours has read "no answers yet"
    let rivalOutcome: unknown = null;
    seam.beforeWindowRead = async () => {
      const submission = { orderId: gid(order), orderNumericId: String(order), locale: "en", answers: { nps: 2 } };
      rivalOutcome = await rival.service.recordSurveyAnswer(SHOP, submission, { surface: "thank-you", writer: { customerId: customer ? OWNER.id : null } });
    };

    // WHEN our instance takes the shopper's first answer (NPS 9) through the route
    const request = await checkoutRequest(STORE, "/api/checkout/survey", { body: { orderId: gid(order), locale: "en", answers: { nps: 9 } }, ...(customer ? { sub: OWNER.gid } : {}) });
    const response = await callAction(action, request);

    // THEN the rival's answer went in first, ours is the later one: answered by the documented rule, not a 500
    expect(rivalOutcome).toEqual({ outcome: stored ? "created" : "pending-created" });
    expect(seam.beforeWindowRead).toBeNull();
    expect({ status: response.status, body: await response.json() }).toEqual({
      status,
      body: status === 200 ? { ok: true } : { errors: { order: "This order already has answers; only its customer, signed in, can change them" } },
    });
    // AND the order has exactly one answer set, holding the winner's score, and its follow-up follows it
    const where = { shop: SHOP, orderId: String(order) };
    const rows = stored ? await prisma.surveyResponse.findMany({ where }) : await prisma.pendingSurveyAnswer.findMany({ where });
    expect(rows.map((r) => r.nps)).toEqual([nps]);
    expect(await prisma.surveyResponse.count({ where })).toBe(stored ? 1 : 0);
    expect(await prisma.pendingSurveyAnswer.count({ where })).toBe(stored ? 0 : 1);
    expect(await prisma.followUp.count({ where: { ...where, kind: "recovery" } })).toBe(recovery);
  });
});

describe("only a lost conflict is run again (by the group commit, app/models/transaction.server.ts)", () => {
  it("a deadlock with another instance (40P01) is run again: 201, the answer stored once", async () => {
    // GIVEN the deadlock PostgreSQL raises when two instances' transactions each wait on a row the other wrote,
    // hitting this answer's transaction between its read and its write
    const deadlock = await realDeadlock();
    expect(deadlock).toMatchObject({ code: "40P01" });
    const order = 7130;
    seam.beforeWindowRead = async () => {
      throw deadlock;
    };

    // WHEN the answer arrives through the route
    const request = await checkoutRequest(STORE, "/api/checkout/survey", { body: { orderId: gid(order), locale: "en", answers: { nps: 9 } } });
    const response = await callAction(action, request);

    // THEN it was run again and stored once (a first answer: 201; pending, as the order is not stored)
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 201, body: { ok: true } });
    expect(seam.beforeWindowRead).toBeNull();
    expect((await prisma.pendingSurveyAnswer.findMany({ where: { shop: SHOP, orderId: String(order) } })).map((r) => r.nps)).toEqual([9]);
  });

  it("any other failure inside the answer's transaction is not run again: 500, nothing stored", async () => {
    // GIVEN a failure (not another instance's write) between the read and the write of a first answer
    allowConsoleError();
    const order = 7120;
    seam.beforeWindowRead = async () => {
      throw new Error("disk I/O error");
    };

    // WHEN the answer arrives through the route
    const request = await checkoutRequest(STORE, "/api/checkout/survey", { body: { orderId: gid(order), locale: "en", answers: { nps: 9 } } });
    const response = await callAction(action, request);

    // THEN the shopper is told to retry, and the failed attempt was not silently run again
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ errors: { request: "Temporary failure, please retry" } });
    const where = { shop: SHOP, orderId: String(order) };
    expect(await prisma.surveyResponse.count({ where })).toBe(0);
    expect(await prisma.pendingSurveyAnswer.count({ where })).toBe(0);
  });
});
