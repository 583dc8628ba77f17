import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { DEFAULT_PROGRAM } from "~/domain/loyalty/program";
import { claimPeriodJob, claimPeriodicRun } from "~/models/jobs.server";
import { storeProgram } from "~/models/loyalty.server";
import { saveShopProfile } from "~/models/shops.server";
import { recordSurveyAnswer } from "~/services/survey-answers.server";
import { sweepAllShops, sweepPendingAnswersAllShops } from "~/services/scheduler.server";

/**
 * Periodic work runs once per period across every instance (docs/decisions/027-job-leases.md): two instances'
 * timers firing at the same moment are two callers here, each statement on its own pool connection.
 */
const SHOPS = ["sweep-once-a.myshopify.com", "sweep-once-b.myshopify.com", "sweep-once-c.myshopify.com"];
const HOUR = 3_600_000;

async function rollingShops() {
  for (const shop of SHOPS) {
    await saveShopProfile(shop, { name: "S", currency: "USD", timezone: "UTC", domain: null });
    await storeProgram(shop, { ...DEFAULT_PROGRAM, window: "rolling12" });
  }
}

const sweepJobs = (day: string) =>
  prisma.job.findMany({ where: { kind: "rolling-sweep", periodKey: day, shop: { in: SHOPS } }, orderBy: { shop: "asc" }, select: { shop: true, status: true, leaseOwner: true, claims: true } });

describe("the daily rolling-window sweep, two instances", () => {
  it("two instances' timers at the same moment: each shop is swept once, by one of them", async () => {
    await rollingShops();
    const now = new Date("2026-12-10T04:00:00Z");
    await Promise.all([sweepAllShops(now, { owner: "instance-a" }), sweepAllShops(now, { owner: "instance-b" })]);
    expect(await sweepJobs("2026-12-10")).toEqual(SHOPS.map((shop) => ({ shop, status: "done", leaseOwner: null, claims: 1 })));
    // and again later that day, from both: nothing more
    await Promise.all([sweepAllShops(new Date(now.getTime() + HOUR), { owner: "instance-a" }), sweepAllShops(new Date(now.getTime() + 2 * HOUR), { owner: "instance-b" })]);
    expect(await prisma.job.count({ where: { kind: "rolling-sweep", shop: { in: SHOPS }, startedAt: { gte: new Date("2026-12-10T00:00:00Z") } } })).toBe(3);
  });

  it("the claim itself, raced: of ten callers of one shop and day, exactly one gets it", async () => {
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => claimPeriodJob(SHOPS[0]!, "rolling-sweep", "2026-12-11", new Date("2026-12-11T01:00:00Z"), `instance-${i}`)),
    );
    expect(claims.filter((c) => c !== null)).toHaveLength(1);
  });

  it("a sweep whose instance died is resumed by the next caller that day, once its lease ran out", async () => {
    await rollingShops();
    const day = "2026-12-12";
    const now = new Date(`${day}T02:00:00Z`);
    // GIVEN instance A claimed shop A's sweep, then died
    const dead = await claimPeriodJob(SHOPS[0]!, "rolling-sweep", day, now, "instance-a");
    await sweepAllShops(now, { owner: "instance-b" });
    expect((await sweepJobs(day))[0]).toMatchObject({ status: "running", leaseOwner: "instance-a" });
    // WHEN its lease has run out and B's timer fires again
    await prisma.$executeRaw`UPDATE "Job" SET "leaseUntil" = now() - interval '1 second' WHERE "id" = ${dead!.id}::int`;
    await sweepAllShops(new Date(now.getTime() + HOUR), { owner: "instance-b" });
    // THEN B finished it (the same row: one sweep of the day)
    expect(await sweepJobs(day)).toEqual(SHOPS.map((shop, i) => ({ shop, status: "done", leaseOwner: null, claims: i === 0 ? 2 : 1 })));
  });

  it("a sweep of an earlier day left running by a dead instance is marked failed, not left running", async () => {
    await rollingShops();
    const stale = await claimPeriodJob(SHOPS[1]!, "rolling-sweep", "2026-12-13", new Date("2026-12-13T02:00:00Z"), "instance-a");
    await prisma.$executeRaw`UPDATE "Job" SET "leaseUntil" = now() - interval '1 second' WHERE "id" = ${stale!.id}::int`;
    await sweepAllShops(new Date("2026-12-14T02:00:00Z"), { owner: "instance-b" });
    expect(await prisma.job.findUniqueOrThrow({ where: { id: stale!.id } })).toMatchObject({ status: "failed", leaseOwner: null, detail: "Interrupted; a later run covers it." });
    expect(await sweepJobs("2026-12-14")).toHaveLength(3);
  });
});

describe("the hourly pending-answer sweep, two instances", () => {
  it("two callers in the same hour: one sweeps; the next hour, one sweeps again", async () => {
    const shop = "sweep-once-pending.myshopify.com";
    const now = new Date();
    await recordSurveyAnswer(
      shop,
      { orderId: "gid://shopify/OrderIdentity/31337", locale: "en", answers: { nps: 9 }, orderNumericId: "31337" },
      { surface: "thank-you", now: new Date(now.getTime() - 80 * HOUR), writer: { customerId: null } },
    );
    const results = await Promise.all([sweepPendingAnswersAllShops(now, "instance-a"), sweepPendingAnswersAllShops(now, "instance-b")]);
    expect(results.sort()).toEqual([false, true]);
    expect(await prisma.pendingSurveyAnswer.count({ where: { shop } })).toBe(0);
    expect(await prisma.periodicRun.count({ where: { task: "pending survey answer sweep", period: now.toISOString().slice(0, 13) } })).toBe(1);
    const nextHour = new Date(now.getTime() + HOUR);
    expect(await Promise.all([sweepPendingAnswersAllShops(nextHour, "instance-b"), sweepPendingAnswersAllShops(nextHour, "instance-a")]).then((r) => r.sort())).toEqual([false, true]);
  });

  it("the claim, raced: of ten callers of one task and hour, exactly one gets it", async () => {
    const at = new Date("2026-12-15T07:30:00Z");
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => claimPeriodicRun("race test", "2026-12-15T07", at, `instance-${i}`)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});
