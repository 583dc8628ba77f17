import type pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { connectRaw, prisma, sqlOn } from "~/db.server";
import { findAnswerContext, savePendingSurveyAnswer, saveSurveyResponse, settlePendingSurveyAnswer, type SurveyResponseFields } from "./survey-responses.server";

/**
 * One answer set per order with two instances writing at once, on the real server: two sessions (two app
 * instances' transactions) each see "no answers yet" and insert the order's first answers. The second insert waits
 * for the first transaction; when it commits, the second writes nothing and says so (`lost-race`), without an error
 * (a unique violation would abort the shopper's whole transaction); when it rolls back, the second one is created.
 */

const SHOP = "answer-inserts.myshopify.com";
const fields = (nps: number): SurveyResponseFields => ({
  nps,
  csat: null,
  ces: null,
  attributionOption: null,
  attributionOther: null,
  comment: null,
  customAnswers: null,
  customText: null,
  locale: "en",
  surface: "thank-you",
  tokenCustomerId: null,
  complete: true,
  reached: [],
});

const open: pg.PoolClient[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) {
    await c.query("ROLLBACK").catch(() => {});
    c.release();
  }
});

/** A session with a transaction open, as one instance's group commit holds it. */
async function session(): Promise<pg.PoolClient> {
  const connection = await connectRaw();
  open.push(connection);
  await connection.query("BEGIN");
  return connection;
}

/** Resolves once `pending` is waiting for a lock (another session's uncommitted row). */
async function blocked(pending: Promise<unknown>): Promise<void> {
  const settled = pending.then(() => "settled" as const, () => "settled" as const);
  for (let i = 0; i < 200; i++) {
    const [row] = await prisma.$queryRaw<{ waiting: number }[]>`
      SELECT COUNT(*)::int AS "waiting" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (row && row.waiting > 0) return;
    if ((await Promise.race([settled, new Promise((r) => setTimeout(() => r("waiting"), 10))])) === "settled") throw new Error("it did not wait");
  }
  throw new Error("never saw it wait for the lock");
}

const rows = (orderId: string) => prisma.surveyResponse.findMany({ where: { shop: SHOP, orderId }, select: { nps: true } });

describe("saveSurveyResponse: the first answers of an order, inserted by two instances at once", () => {
  it("the later insert writes nothing and reports a lost race once the earlier commits; its next read sees that row", async () => {
    const [a, b] = [await session(), await session()];
    expect(await saveSurveyResponse(SHOP, "1", fields(2), new Date(), sqlOn(a), null)).toMatchObject({ outcome: "created", response: { orderId: "1", nps: 2 } });
    const later = saveSurveyResponse(SHOP, "1", fields(9), new Date(), sqlOn(b), null);
    await blocked(later);
    await a.query("COMMIT");
    expect(await later).toEqual({ outcome: "lost-race", response: null });
    // Its transaction goes on (no error aborted it) and now reads the winner's row.
    expect((await findAnswerContext(SHOP, "1", sqlOn(b))).existing).toMatchObject({ state: "confirmed" });
    await b.query("COMMIT");
    expect(await rows("1")).toEqual([{ nps: 2 }]);
  });

  it("the later insert is created when the earlier transaction rolls back", async () => {
    const [a, b] = [await session(), await session()];
    await saveSurveyResponse(SHOP, "2", fields(2), new Date(), sqlOn(a), null);
    const later = saveSurveyResponse(SHOP, "2", fields(9), new Date(), sqlOn(b), null);
    await blocked(later);
    await a.query("ROLLBACK");
    expect(await later).toMatchObject({ outcome: "created", response: { nps: 9 } });
    await b.query("COMMIT");
    expect(await rows("2")).toEqual([{ nps: 9 }]);
  });
});

describe("savePendingSurveyAnswer: the same for answers to an order not received yet", () => {
  it("the later insert is a lost race, not an error", async () => {
    const [a, b] = [await session(), await session()];
    expect(await savePendingSurveyAnswer(SHOP, "3", fields(2), new Date(), sqlOn(a), null)).toBe("created");
    const later = savePendingSurveyAnswer(SHOP, "3", fields(9), new Date(), sqlOn(b), null);
    await blocked(later);
    await a.query("COMMIT");
    expect(await later).toBe("lost-race");
    await b.query("COMMIT");
    expect((await prisma.pendingSurveyAnswer.findMany({ where: { shop: SHOP, orderId: "3" } })).map((r) => r.nps)).toEqual([2]);
  });
});

describe("settlePendingSurveyAnswer: two transactions settling one order at once (an order event and the sweep)", () => {
  it("moves the answer once and opens its follow-up once", async () => {
    const placedAt = new Date(Date.now() - 3600_000);
    await prisma.order.create({
      data: { shop: SHOP, id: "4", name: "#4", customerId: null, currency: "USD", presentmentCurrency: "USD", totalMinor: 100, presentmentTotalMinor: 100, placedAt, shopifyUpdatedAt: placedAt },
    });
    await savePendingSurveyAnswer(SHOP, "4", fields(1), new Date(), prisma, null);
    const [a, b] = [await session(), await session()];
    expect(await settlePendingSurveyAnswer(SHOP, "4", sqlOn(a))).toBe("confirm");
    const later = settlePendingSurveyAnswer(SHOP, "4", sqlOn(b));
    await blocked(later);
    await a.query("COMMIT");
    await later;
    await b.query("COMMIT");
    expect(await rows("4")).toEqual([{ nps: 1 }]);
    expect(await prisma.pendingSurveyAnswer.count({ where: { shop: SHOP, orderId: "4" } })).toBe(0);
    expect(await prisma.followUp.count({ where: { shop: SHOP, orderId: "4", kind: "recovery" } })).toBe(1);
  });
});

describe("a save decided on a row that is gone by the time it writes (shop/redact, a settle or the sweep in between)", () => {
  it("an update of confirmed answers that finds no row is a lost race: nothing written", async () => {
    const read = { createdAt: new Date() };
    expect(await saveSurveyResponse(SHOP, "5", fields(9), new Date(), prisma, read)).toEqual({ outcome: "lost-race", response: null });
    expect(await rows("5")).toEqual([]);
  });

  it("an update of pending answers that finds no row is a lost race: nothing written", async () => {
    expect(await savePendingSurveyAnswer(SHOP, "6", fields(9), new Date(), prisma, { createdAt: new Date() })).toBe("lost-race");
    expect(await prisma.pendingSurveyAnswer.count({ where: { shop: SHOP, orderId: "6" } })).toBe(0);
  });
});

describe("settlePendingSurveyAnswer before the order is stored", () => {
  it("settles nothing (null) and keeps the pending answer", async () => {
    await savePendingSurveyAnswer(SHOP, "7", fields(3), new Date(), prisma, null);
    expect(await settlePendingSurveyAnswer(SHOP, "7", prisma)).toBeNull();
    expect((await prisma.pendingSurveyAnswer.findMany({ where: { shop: SHOP, orderId: "7" } })).map((r) => r.nps)).toEqual([3]);
    expect(await rows("7")).toEqual([]);
  });
});
