import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_PROGRAM, type LoyaltyProgram } from "~/domain/loyalty/program";
import { tierFor } from "~/domain/loyalty/tiers";
import { AdminStub } from "./support/admin-stub";
import { orderScenario, type Scenario } from "./support/scenario";
import { AppServer, freshDatabase, installShops, removeDatabase, waitFor } from "./support/server";
import { expectSentInOrder } from "./support/outbox-checks";
import { rows, scalar, setting, snapshot, type Snapshot } from "./support/snapshot";
import { pool, random, send, type DeliveryResult } from "./support/webhooks";

/**
 * Kill the server (SIGKILL) in the middle of a burst of webhooks, restart it, and replay what Shopify would
 * retry (every delivery that did not get a 200): the database and what Shopify was told must equal a clean run
 * of the same deliveries, and match what the deliveries mean (computed by the scenario, not by the app). Then the
 * same with two instances on one database, one of them killed while the other keeps serving.
 */
const SHOPS = ["faults-alpha.myshopify.com", "faults-beta.myshopify.com"];
const TIME_SCALE = 0.02;
const CONCURRENCY = 12;

const scenario: Scenario = orderScenario({ shops: SHOPS, customersPerShop: 30, ordersPerCustomer: [2, 6], seed: 20261122 });
const databases: string[] = [];
/** Every shop's loyalty programme: the default tiers over a rolling 12 months. */
const PROGRAM: LoyaltyProgram = { ...DEFAULT_PROGRAM, window: "rolling12" };

interface RunResult {
  snap: Snapshot;
  mirror: ReturnType<AdminStub["mirror"]>;
  applied: AdminStub["applied"];
  dbUrl: string;
}

async function drainOutbox(dbUrl: string) {
  await waitFor("the outbox to drain", async () => (await scalar(dbUrl, `SELECT COUNT(*) FROM "OutboxMessage" WHERE "status" = 'pending'`)) === 0, 120_000);
}

async function withStack<T>(name: string, port: number, run: (server: AppServer, stub: AdminStub, dbUrl: string) => Promise<T>) {
  const dbUrl = await freshDatabase(name);
  databases.push(dbUrl);
  await installShops(dbUrl, SHOPS);
  // The default tiers over a rolling 12 months (the scenario's orders are all younger), points available at once
  // (pending points are not this scenario's subject): the same tiers as lifetime,
  // and each shop gets the daily rolling-window sweep, a job that must run once whichever instances start.
  for (const shop of SHOPS) {
    await rows(
      dbUrl,
      `INSERT INTO "LoyaltyProgram" ("shop", "basis", "window", "pointsPerUnit", "tiers", "version", "pendingPoints", "updatedAt") VALUES ($1, $2, 'rolling12', $3, $4, 1, false, now())`,
      shop,
      PROGRAM.basis,
      PROGRAM.pointsPerUnit,
      JSON.stringify(PROGRAM.tiers),
    );
  }
  const stub = new AdminStub(port + 10);
  await stub.start();
  const server = new AppServer({ name, port, dbUrl, adminOrigin: stub.origin, timeScale: TIME_SCALE });
  try {
    return await run(server, stub, dbUrl);
  } finally {
    await server.stop();
    await stub.close();
  }
}

afterAll(async () => {
  for (const db of databases) await removeDatabase(db);
});

/** Every row the scenario promises, checked against the scenario's own arithmetic. */
function expectMeaning(snap: Snapshot) {
  for (const shop of SHOPS) {
    expect(snap.orders.filter((o) => (o as { shop: string }).shop === shop)).toHaveLength(scenario.orders[shop]!);
    expect(snap.refunds.filter((r) => (r as { shop: string }).shop === shop)).toHaveLength(scenario.refunds[shop]!);
    expect(snap.deliveriesByShop[shop]).toBe(scenario.webhookIds[shop]);
    const facts = Object.fromEntries(
      snap.customers
        .filter((c) => c.shop === shop)
        .map((c) => [String(c.id), { orderCount: c.orderCount, grossMinor: c.lifetimeGrossMinor, netMinor: c.lifetimeNetMinor }]),
    );
    expect(facts).toEqual(scenario.customers[shop]);
  }
  for (const customer of snap.customers) {
    expect(snap.lastTierChange[`${String(customer.shop)} ${String(customer.id)}`] ?? null).toBe(customer.tierSlug);
    // The tier is the programme's verdict on the customer's orders as the scenario counts them (not as the app does).
    const facts = scenario.customers[String(customer.shop)]?.[String(customer.id)] ?? { orderCount: 0, grossMinor: 0, netMinor: 0 };
    const standing = { lifetimeNetMinor: facts.netMinor, rolling12NetMinor: facts.netMinor, orderCount: facts.orderCount, rolling12Orders: facts.orderCount };
    expect(customer.tierSlug).toBe(tierFor(PROGRAM, standing)?.slug ?? null);
  }
  expect(snap.balancesOffLedger).toEqual([]);
  expect(snap.outbox.pending ?? 0).toBe(0);
  expect(snap.outbox.failed ?? 0).toBe(0);
}

/** What Shopify holds must be what the database says: one tier tag and the loyalty metafield per customer. */
function expectMirrorMatches(snap: Snapshot, mirror: RunResult["mirror"]) {
  const expected: typeof mirror = {};
  for (const c of snap.customers) {
    if (!c.tierSlug && !c.pointsBalance) continue;
    expected[`${String(c.shop)} gid://shopify/Customer/${String(c.id)}`] = {
      tags: c.tierSlug ? [`afterglow-tier-${String(c.tierSlug)}`] : [],
      metafield: { tier: expect.any(String), tierSlug: c.tierSlug, points: c.pointsBalance },
    };
  }
  expect(mirror).toEqual(expected);
}

let clean: RunResult;

describe("SIGKILL mid-burst, restart, replay of unacknowledged deliveries", () => {
  it("a clean run: every delivery acknowledged in Shopify's order", async () => {
    clean = await withStack("clean", 3301, async (server, stub, dbUrl) => {
      await server.start();
      for (const d of scenario.deliveries) {
        const result = await send(server.url, d);
        expect(result, `${d.topic} ${d.webhookId}`).toMatchObject({ status: 200 });
      }
      await drainOutbox(dbUrl);
      return { snap: await snapshot(dbUrl), mirror: stub.mirror(), applied: stub.applied, dbUrl };
    });
    expect(scenario.deliveries.length).toBeGreaterThan(500);
    expectMeaning(clean.snap);
    expectMirrorMatches(clean.snap, clean.mirror);
    // The scenario reaches every tier, so tier changes (and their mirror) are part of what is compared.
    expect(new Set(clean.snap.customers.map((c) => c.tierSlug))).toEqual(new Set(["bronze", "silver", "gold"]));
  });

  it("the same deliveries with two SIGKILLs and Shopify's retries end in the same state", async () => {
    const rng = random(7);
    const stats = { acknowledged: 0, refused: 0, kills: [] as { inFlight: number; ackedBefore: number }[], committedUnacked: 0, rounds: 0 };
    const faulty = await withStack("sigkill", 3302, async (server, stub, dbUrl) => {
      // A kill of the app, not of PostgreSQL: what was acknowledged must be durable, as in production.
      expect([await setting(dbUrl, "fsync"), await setting(dbUrl, "synchronous_commit")]).toEqual(["on", "on"]);
      await server.start();
      const results: (DeliveryResult | undefined)[] = new Array(scenario.deliveries.length);
      let inFlight = 0;
      let killing: Promise<void> = Promise.resolve();
      /** Resolves while the server is up; a restart replaces it, and senders wait for it. */
      let up: Promise<void> = Promise.resolve();
      const killAt = new Set([Math.floor(scenario.deliveries.length * 0.35), Math.floor(scenario.deliveries.length * 0.7)]);
      // While the server is down Shopify keeps sending: these deliveries are refused (connection refused).
      const downFor = 40;
      let restartAt = -1;

      await pool(scenario.deliveries, CONCURRENCY, async (d, index) => {
        await up;
        if (killAt.has(index)) {
          // The burst is in full flow: requests are in flight, some committed and not yet answered.
          stats.kills.push({ inFlight, ackedBefore: results.filter((r) => r?.status === 200).length });
          killing = server.kill();
          restartAt = index + downFor;
        }
        if (index === restartAt) {
          up = killing.then(() => server.start());
          await up;
        }
        inFlight += 1;
        results[index] = await send(server.url, d);
        inFlight -= 1;
      });

      // Anything but 200 or no answer would be a bug: a crash must never turn into a 4xx or 500.
      const statuses = new Set(results.map((r) => r?.status ?? null));
      expect([...statuses].filter((s) => s !== 200 && s !== null)).toEqual([]);
      stats.acknowledged = results.filter((r) => r?.status === 200).length;

      // Shopify retries every delivery that was not acknowledged, later and in no particular order.
      let pending = scenario.deliveries.filter((_, i) => results[i]?.status !== 200);
      stats.refused = pending.length;
      // Deliveries whose effect committed although no 200 was sent (killed between commit and answer).
      const committed = new Set<string>();
      for (const d of pending) {
        const n = await scalar(dbUrl, `SELECT COUNT(*) FROM "WebhookDelivery" WHERE "shop" = $1 AND "webhookId" = $2`, d.shop, d.webhookId);
        if (n === 1) committed.add(`${d.shop} ${d.webhookId}`);
      }
      stats.committedUnacked = committed.size;
      while (pending.length && stats.rounds < 5) {
        stats.rounds += 1;
        const retried = await pool(rng.shuffle(pending), CONCURRENCY, async (d) => ({ d, result: await send(server.url, d) }));
        for (const { result } of retried) expect(result.status).toBe(200);
        pending = retried.filter(({ result }) => result.status !== 200).map(({ d }) => d);
      }
      await drainOutbox(dbUrl);
      expect(server.logRecords("error")).toEqual([]);
      return { snap: await snapshot(dbUrl), mirror: stub.mirror(), applied: stub.applied, dbUrl };
    });
    console.log(`sigkill run: ${JSON.stringify(stats)}`);

    // The kills really happened mid-burst: acknowledged work before each, requests in flight, and refusals.
    expect(stats.kills).toHaveLength(2);
    for (const kill of stats.kills) {
      expect(kill.ackedBefore).toBeGreaterThan(0);
      expect(kill.inFlight).toBeGreaterThan(0);
    }
    expect(stats.refused).toBeGreaterThan(40);

    // THEN every order counted once, points and tiers as in the clean run, and the same in Shopify.
    expectMeaning(faulty.snap);
    expect(faulty.snap.orders).toEqual(clean.snap.orders);
    expect(faulty.snap.refunds).toEqual(clean.snap.refunds);
    expect(faulty.snap.customers).toEqual(clean.snap.customers);
    expect(faulty.snap.pointsByOrder).toEqual(clean.snap.pointsByOrder);
    expect(faulty.snap.deliveries).toBe(clean.snap.deliveries);
    expectMirrorMatches(faulty.snap, faulty.mirror);
    expect(faulty.mirror).toEqual(clean.mirror);
  });

  it("two instances on one database, one SIGKILLed twice mid-burst while the other serves: the same state", async () => {
    const rng = random(8);
    const stats = { refused: 0, kills: [] as { inFlight: number; ackedBefore: number }[], rounds: 0 };
    const faulty = await withStack("two-instances", 3303, async (doomed, stub, dbUrl) => {
      // The survivor shares the database and the Admin API; both run the outbox worker. The doomed instance dies
      // with requests in flight and outbox messages it may have claimed: the survivor takes them over.
      const survivor = new AppServer({ name: "two-instances-survivor", port: 3304, dbUrl, adminOrigin: stub.origin, timeScale: TIME_SCALE });
      try {
        await Promise.all([doomed.start(), survivor.start()]);
        const results: (DeliveryResult | undefined)[] = new Array(scenario.deliveries.length);
        let inFlight = 0;
        /** The doomed instance's kills and restarts, in order. */
        let restarted: Promise<void> = Promise.resolve();
        const killAt = new Set([Math.floor(scenario.deliveries.length * 0.3), Math.floor(scenario.deliveries.length * 0.65)]);
        // Deliveries alternate between the instances (a load balancer); those sent to the dead one are refused.
        const downFor = 60;
        let restartAt = -1;

        // A kill falls due at its index, and happens at the next delivery sent to the doomed instance, once that one is
        // on its way: never while the doomed instance happens to have nothing in flight.
        let killDue = false;
        await pool(scenario.deliveries, CONCURRENCY, async (d, index) => {
          if (killAt.has(index)) killDue = true;
          if (index === restartAt) restarted = restarted.then(() => doomed.start());
          const target = index % 2 ? survivor : doomed;
          if (target === doomed) inFlight += 1;
          const sending = send(target.url, d);
          if (killDue && target === doomed) {
            killDue = false;
            stats.kills.push({ inFlight, ackedBefore: results.filter((r) => r?.status === 200).length });
            restarted = restarted.then(() => doomed.kill());
            restartAt = index + downFor;
          }
          results[index] = await sending;
          if (target === doomed) inFlight -= 1;
        });
        await restarted;

        const statuses = new Set(results.map((r) => r?.status ?? null));
        expect([...statuses].filter((s) => s !== 200 && s !== null)).toEqual([]);
        // Shopify retries what was not acknowledged, later and in no particular order, to either instance.
        let pending = scenario.deliveries.filter((_, i) => results[i]?.status !== 200);
        stats.refused = pending.length;
        while (pending.length && stats.rounds < 5) {
          stats.rounds += 1;
          const retried = await pool(rng.shuffle(pending), CONCURRENCY, async (d, i) => ({ d, result: await send((i % 2 ? survivor : doomed).url, d) }));
          for (const { result } of retried) expect(result.status).toBe(200);
          pending = retried.filter(({ result }) => result.status !== 200).map(({ d }) => d);
        }
        await drainOutbox(dbUrl);
        // Every customer's tag calls reached Shopify in the order they were queued, whichever instance sent them.
        expectSentInOrder(stub, await rows(dbUrl, `SELECT "shop", "operation", "variables" FROM "OutboxMessage" ORDER BY "id"`));
        // Each job ran once across both instances and the doomed one's three starts: the day's rolling-window sweep of
        // each shop is one job, done, and no job is left running.
        const sweeps = await rows(dbUrl, `SELECT "shop", "status", "claims", COUNT(*)::int AS "n" FROM "Job" WHERE "kind" = 'rolling-sweep' GROUP BY "shop", "periodKey", "status", "claims" ORDER BY "shop"`);
        expect(sweeps).toEqual(SHOPS.map((shop) => ({ shop, status: "done", claims: 1, n: 1 })));
        expect(await scalar(dbUrl, `SELECT COUNT(*) FROM "Job" WHERE "status" = 'running'`)).toBe(0);
        expect(doomed.logRecords("error")).toEqual([]);
        expect(survivor.logRecords("error")).toEqual([]);
        return { snap: await snapshot(dbUrl), mirror: stub.mirror(), applied: stub.applied, dbUrl };
      } finally {
        await survivor.stop();
      }
    });
    console.log(`two-instance run: ${JSON.stringify(stats)}`);

    expect(stats.kills).toHaveLength(2);
    for (const kill of stats.kills) {
      expect(kill.ackedBefore).toBeGreaterThan(0);
      expect(kill.inFlight).toBeGreaterThan(0);
    }
    expect(stats.refused).toBeGreaterThan(20);

    expectMeaning(faulty.snap);
    expect(faulty.snap.orders).toEqual(clean.snap.orders);
    expect(faulty.snap.refunds).toEqual(clean.snap.refunds);
    expect(faulty.snap.customers).toEqual(clean.snap.customers);
    expect(faulty.snap.pointsByOrder).toEqual(clean.snap.pointsByOrder);
    expect(faulty.snap.deliveries).toBe(clean.snap.deliveries);
    expectMirrorMatches(faulty.snap, faulty.mirror);
    expect(faulty.mirror).toEqual(clean.mirror);
  });
});
