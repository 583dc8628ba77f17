import { Prisma } from "@prisma/client";
import { afterAll, describe, expect, it } from "vitest";
import { prisma, readSql } from "./db.server";
import { createGroupCommit } from "./models/transaction.server";
import { withConnection } from "../tests/support/connections";

// The raw SQL clients of app/db.server.ts against this test file's real PostgreSQL database.
afterAll(async () => {
  await prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS "RawProbe"`);
});

describe("raw SQL values", () => {
  it("reads bigint and integral numeric as exact numbers, and beyond 2^53 as bigint", async () => {
    const rows = await readSql().$queryRaw<Record<string, unknown>[]>`
      SELECT 9007199254740991::bigint AS "safe", 9007199254740993::bigint AS "beyond", -9007199254740993::bigint AS "negative",
        SUM(v) AS "sum", COUNT(*) AS "count", AVG(v) AS "avg", 12::int AS "int4"
      FROM (VALUES (1::bigint), (2::bigint)) AS t(v)`;
    expect(rows).toEqual([{ safe: 9007199254740991, beyond: 9007199254740993n, negative: -9007199254740993n, sum: 3, count: 2, avg: 1.5, int4: 12 }]);
  });

  it("returns an empty SUM as null, timestamptz as Date and booleans as booleans", async () => {
    const at = new Date("2026-03-04T05:06:07.089Z");
    const [row] = await readSql().$queryRaw<Record<string, unknown>[]>`
      SELECT (SELECT SUM(v) FROM (VALUES (1::bigint)) AS t(v) WHERE false) AS "empty", ${at}::timestamptz AS "at", ${true}::boolean AS "yes"`;
    expect(row).toEqual({ empty: null, at, yes: true });
  });

  it("binds bigint values, undefined as null, and nested Prisma.sql fragments in order", async () => {
    const where = Prisma.sql`v > ${1}`;
    const [row] = await readSql().$queryRaw<Record<string, unknown>[]>`
      SELECT ${9007199254740993n}::bigint AS "big", ${undefined}::text AS "missing",
        (SELECT COUNT(*) FROM (VALUES (1), (2), (3)) AS t(v) WHERE ${where} AND v < ${3}) AS "between"`;
    expect(row).toEqual({ big: 9007199254740993n, missing: null, between: 1 });
  });

  it("runs the same call site again with new values (its prepared statement is reused, not stale)", async () => {
    const double = (n: number) => readSql().$queryRaw<{ v: number }[]>`SELECT ${n}::int * 2 AS "v"`;
    expect(await double(2)).toEqual([{ v: 4 }]);
    expect(await double(5)).toEqual([{ v: 10 }]);
  });
});

describe("the read pool", () => {
  it("refuses writes", async () => {
    await expect(readSql().$queryRaw`CREATE TABLE "ReadOnlyProbe" (v int)`).rejects.toMatchObject({ code: "25006" });
  });
});

describe("group commit", () => {
  it("commits the pieces that succeed and rolls back only the one that throws", async () => {
    await prisma.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS "RawProbe" (v int PRIMARY KEY)`);
    const run = createGroupCommit();
    const results = await Promise.allSettled([
      run(async (tx) => tx.$executeRaw`INSERT INTO "RawProbe" (v) VALUES (${1})`),
      run(async (tx) => {
        await tx.$executeRaw`INSERT INTO "RawProbe" (v) VALUES (${2})`;
        await tx.$executeRaw`INSERT INTO "RawProbe" (v) VALUES (${1})`; // duplicate key: this piece fails
      }),
      run(async (tx) => tx.$executeRaw`INSERT INTO "RawProbe" (v) VALUES (${3})`),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: "23505" });
    const rows = await withConnection(async (sql) => sql.$queryRaw<{ v: number }[]>`SELECT v FROM "RawProbe" ORDER BY v`);
    expect(rows).toEqual([{ v: 1 }, { v: 3 }]);
  });
});
