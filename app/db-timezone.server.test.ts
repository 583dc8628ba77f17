import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

// A server whose default time zone is not UTC (a managed server configured for its region) must not shift instants:
// Prisma's adapter binds and reads Dates without an offset, so the pools pin their sessions to UTC.
const url = process.env.DATABASE_URL!;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(new URL(url).pathname.slice(1))} SET timezone TO 'Pacific/Auckland'`);
await admin.end();
// Imported after the database default changed, so every connection of the pools starts under it.
const { prisma, readSql } = await import("./db.server");

afterAll(async () => {
  await prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS "ZoneProbe"`);
});

describe("session time zone", () => {
  it("is UTC on the Prisma pool and the read pool, whatever the database's default", async () => {
    expect(await prisma.$queryRaw`SELECT current_setting('TimeZone') AS "zone"`).toEqual([{ zone: "UTC" }]);
    expect(await readSql().$queryRaw`SELECT current_setting('TimeZone') AS "zone"`).toEqual([{ zone: "UTC" }]);
  });

  it("stores an instant written by Prisma as the same instant raw SQL reads", async () => {
    const at = new Date("2026-03-04T05:06:07.089Z");
    await prisma.$executeRawUnsafe(`CREATE TABLE "ZoneProbe" (at timestamptz(3))`);
    await prisma.$executeRaw`INSERT INTO "ZoneProbe" (at) VALUES (${at})`;
    expect(await readSql().$queryRaw`SELECT at, (extract(epoch FROM at) * 1000)::bigint AS "ms" FROM "ZoneProbe"`).toEqual([{ at, ms: at.getTime() }]);
    expect(await prisma.$queryRaw`SELECT at FROM "ZoneProbe"`).toEqual([{ at }]);
  });
});
