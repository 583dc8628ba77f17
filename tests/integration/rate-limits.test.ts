import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { takeRateLimits, type RateLimit } from "~/models/rate-limits.server";

/**
 * Rate limits live in PostgreSQL ("RateLimitBucket", `rate_limit_take`), so every app instance on the database shares
 * them (tests/faults/shared-limits.test.ts runs two server processes against one). Here: the bucket arithmetic, the
 * all-or-nothing take over several buckets, and concurrent takers on one bucket.
 */
const T0 = new Date("2026-12-01T12:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
let keys = 0;
const bucket = (capacity: number, windowMs = 60_000): RateLimit => ({ key: `test-${++keys}`, capacity, windowMs });

describe("shared rate limits", () => {
  it("a full bucket allows its capacity at once, then refills at capacity per window", async () => {
    const limit = bucket(10); // 10 a minute: one token every 6 s
    for (let i = 0; i < 10; i++) expect(await takeRateLimits([limit], T0)).toBe(0);
    // The 11th waits for the next token: 6 s
    expect(await takeRateLimits([limit], T0)).toBe(6);
    expect(await takeRateLimits([limit], at(5_000))).toBe(1);
    expect(await takeRateLimits([limit], at(6_000))).toBe(0);
    expect(await takeRateLimits([limit], at(6_000))).toBe(6);
    // A minute of quiet fills it again, never beyond capacity
    for (let i = 0; i < 10; i++) expect(await takeRateLimits([limit], at(600_000))).toBe(0);
    expect(await takeRateLimits([limit], at(600_000))).toBeGreaterThan(0);
  });

  it("takes from every bucket or from none, and answers the longest wait", async () => {
    const roomy = bucket(100);
    const tight = bucket(2);
    expect(await takeRateLimits([roomy, tight], T0)).toBe(0);
    expect(await takeRateLimits([tight, roomy], T0)).toBe(0);
    // WHEN the tight bucket is empty: refused with its wait (30 s for 2 a minute), and the roomy one is not charged
    expect(await takeRateLimits([roomy, tight], T0)).toBe(30);
    const rows = await prisma.$queryRaw<{ key: string; tokens: number }[]>`
      SELECT "key", "tokens" FROM "RateLimitBucket" WHERE "key" = ANY (${[roomy.key, tight.key]}::text[]) ORDER BY "key"`;
    expect(rows).toEqual([
      { key: roomy.key, tokens: 98 },
      { key: tight.key, tokens: 0 },
    ]);
  });

  it("a clock that reads earlier than the last take (another instance's) refills nothing", async () => {
    const limit = bucket(1);
    expect(await takeRateLimits([limit], at(10_000))).toBe(0);
    expect(await takeRateLimits([limit], T0)).toBe(60);
    expect(await takeRateLimits([limit], at(70_000))).toBe(0);
  });

  it("without a time given, the database's clock decides", async () => {
    const limit = bucket(1, 3_600_000);
    expect(await takeRateLimits([limit])).toBe(0);
    const wait = await takeRateLimits([limit]);
    expect(wait).toBeGreaterThan(3_590);
    expect(wait).toBeLessThanOrEqual(3_600);
  });

  it("40 takers at once on a bucket of 10: exactly 10 allowed", async () => {
    const limit = bucket(10, 3_600_000);
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => takeRateLimits([limit], T0)));
    expect(outcomes.filter((wait) => wait === 0)).toHaveLength(10);
    expect(outcomes.filter((wait) => wait > 0)).toHaveLength(30);
  });

  it("a bucket whose row is gone (pruned once full) is full again", async () => {
    const limit = bucket(2);
    expect(await takeRateLimits([limit], T0)).toBe(0);
    expect(await takeRateLimits([limit], T0)).toBe(0);
    expect(await takeRateLimits([limit], T0)).toBe(30);
    // A minute later the bucket is full: the prune may drop the row, and the answers do not change
    const deleted = await prisma.$executeRaw`
      DELETE FROM "RateLimitBucket" b WHERE b."key" = ${limit.key} AND b."at" + make_interval(secs => b."windowMs" / 1000) <= ${at(60_000)}`;
    expect(deleted).toBe(1);
    expect(await takeRateLimits([limit], at(60_000))).toBe(0);
    expect(await takeRateLimits([limit], at(60_000))).toBe(0);
    expect(await takeRateLimits([limit], at(60_000))).toBe(30);
  });
});
