import { Prisma } from "@prisma/client";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectRaw, prisma, sqlOn } from "~/db.server";
import { isLockConflict, sqlState } from "./sql-errors";
import { withConnection } from "../../tests/support/connections";

/**
 * The SQLSTATE of a failure, read from errors PostgreSQL really raised, through each client the app uses:
 * node-postgres (`sqlOn`, the group commits), Prisma's raw queries (P2010 carrying the server's code) and Prisma's
 * model queries (P2002, P2034). Errors the server did not raise have none.
 */

const SHOP = "race-errors.myshopify.com";

beforeAll(async () => {
  await prisma.$executeRawUnsafe(`CREATE TABLE "RaceProbe" ("k" int PRIMARY KEY, "v" int NOT NULL)`);
  await prisma.$executeRawUnsafe(`INSERT INTO "RaceProbe" VALUES (1, 0), (2, 0)`);
  await prisma.surveyResponse.create({ data: answer("1") });
});
afterAll(async () => {
  await prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS "RaceProbe"`);
});

function answer(orderId: string) {
  const now = new Date();
  return { shop: SHOP, orderId, locale: "en", surface: "thank-you", nps: 9, createdAt: now, updatedAt: now };
}

/** The error `work` fails with (it must fail). */
async function failure(work: () => PromiseLike<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the statement to fail");
}

/** Runs `work` on two connections of the pool, each in its own session, and always hands them back. */
async function withTwoConnections<T>(work: (a: pg.PoolClient, b: pg.PoolClient) => Promise<T>): Promise<T> {
  const [a, b] = await Promise.all([connectRaw(), connectRaw()]);
  try {
    return await work(a, b);
  } finally {
    await Promise.allSettled([a.query("ROLLBACK"), b.query("ROLLBACK")]);
    a.release();
    b.release();
  }
}

/** A real deadlock: each session holds one row and waits for the other's; the server cancels one of them. */
function deadlock(): Promise<unknown> {
  return withTwoConnections(async (a, b) => {
    for (const c of [a, b]) await c.query(`SET deadlock_timeout = '50ms'`);
    await a.query("BEGIN");
    await b.query("BEGIN");
    await sqlOn(a).$executeRaw`UPDATE "RaceProbe" SET "v" = "v" + 1 WHERE "k" = 1`;
    await sqlOn(b).$executeRaw`UPDATE "RaceProbe" SET "v" = "v" + 1 WHERE "k" = 2`;
    const settled = await Promise.allSettled([
      sqlOn(a).$executeRaw`UPDATE "RaceProbe" SET "v" = "v" + 1 WHERE "k" = 2`,
      sqlOn(b).$executeRaw`UPDATE "RaceProbe" SET "v" = "v" + 1 WHERE "k" = 1`,
    ]);
    const lost = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (!lost) throw new Error("expected a deadlock");
    return lost.reason;
  });
}

/** A real serialization failure: a REPEATABLE READ transaction updates a row another session changed after its snapshot. */
function serializationFailure(): Promise<unknown> {
  return withTwoConnections(async (a, b) => {
    await a.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
    await sqlOn(a).$queryRaw`SELECT "v" FROM "RaceProbe" WHERE "k" = 1`;
    await sqlOn(b).$executeRaw`UPDATE "RaceProbe" SET "v" = "v" + 1 WHERE "k" = 1`;
    return failure(() => sqlOn(a).$executeRaw`UPDATE "RaceProbe" SET "v" = "v" + 1 WHERE "k" = 1`);
  });
}

/** The same through Prisma's model API: Prisma reports the write conflict as P2034. */
function prismaWriteConflict(): Promise<unknown> {
  return failure(() =>
    prisma.$transaction(
      async (tx) => {
        await tx.surveyResponse.findFirst({ where: { shop: SHOP, orderId: "1" } });
        await prisma.surveyResponse.updateMany({ where: { shop: SHOP, orderId: "1" }, data: { nps: 8 } });
        await tx.surveyResponse.updateMany({ where: { shop: SHOP, orderId: "1" }, data: { nps: 7 } });
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    ),
  );
}

const duplicateAnswerRaw = (sql: { $executeRaw: ReturnType<typeof sqlOn>["$executeRaw"] }) => sql.$executeRaw`
  INSERT INTO "SurveyResponse" ("shop", "orderId", "locale", "surface", "createdAt", "updatedAt")
  VALUES (${SHOP}, '1', 'en', 'thank-you', now(), now())`;

describe("sqlState", () => {
  it.each([
    {
      what: "a unique violation raised to node-postgres (sqlOn: the group commits)",
      make: () => withConnection((sql) => failure(() => duplicateAnswerRaw(sql))),
      state: "23505",
    },
    {
      what: "a unique violation in a Prisma raw query (P2010 carrying 23505)",
      make: () => failure(() => duplicateAnswerRaw(prisma)),
      state: "23505",
    },
    {
      what: "a unique violation in a Prisma model query (P2002)",
      make: () => failure(() => prisma.surveyResponse.create({ data: answer("1") })),
      state: "23505",
    },
    { what: "a deadlock between two sessions (40P01)", make: deadlock, state: "40P01" },
    { what: "a serialization failure at REPEATABLE READ (40001)", make: serializationFailure, state: "40001" },
    { what: "a write conflict in a Prisma model transaction (P2034)", make: prismaWriteConflict, state: "40001" },
    {
      what: "a NOT NULL violation (23502): another constraint, not a race",
      make: () => withConnection((sql) => failure(() => sql.$executeRaw`INSERT INTO "RaceProbe" ("k") VALUES (3)`)),
      state: "23502",
    },
    {
      what: "an undefined column (42703)",
      make: () => withConnection((sql) => failure(() => sql.$queryRaw`SELECT "nope" FROM "RaceProbe"`)),
      state: "42703",
    },
    {
      what: "Prisma's record not found (P2025): not the server's error",
      make: () => failure(() => prisma.surveyResponse.update({ where: { shop_orderId: { shop: SHOP, orderId: "none" } }, data: { nps: 1 } })),
      state: null,
    },
    {
      what: "a 23505 code on an error the server did not raise (no severity)",
      make: async () => Object.assign(new Error("made up"), { code: "23505" }),
      state: null,
    },
    { what: "a connection reset (ECONNRESET)", make: async () => Object.assign(new Error("reset"), { code: "ECONNRESET" }), state: null },
    { what: "a plain error", make: async () => new Error("disk I/O error"), state: null },
    { what: "an error code as a bare string", make: async () => "40P01", state: null },
    { what: "null", make: async () => null, state: null },
    { what: "undefined", make: async () => undefined, state: null },
  ])("$what: SQLSTATE $state", async ({ make, state }) => {
    expect(sqlState(await make())).toBe(state);
  });
});

describe("isLockConflict (work PostgreSQL rolled back for a lock conflict, to run again)", () => {
  it.each([
    { what: "a deadlock between two sessions (40P01)", make: deadlock, conflict: true },
    { what: "a serialization failure at REPEATABLE READ (40001)", make: serializationFailure, conflict: true },
    { what: "a write conflict in a Prisma model transaction (P2034)", make: prismaWriteConflict, conflict: true },
    { what: "a unique violation (23505)", make: () => failure(() => duplicateAnswerRaw(prisma)), conflict: false },
    { what: "a 40P01 code on an error the server did not raise", make: async () => Object.assign(new Error("made up"), { code: "40P01" }), conflict: false },
    { what: "a plain error", make: async () => new Error("deadlock"), conflict: false },
  ])("$what: $conflict", async ({ make, conflict }) => {
    expect(isLockConflict(await make())).toBe(conflict);
  });
});
