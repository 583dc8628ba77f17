import { afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import * as outboxModel from "~/models/outbox.server";
import { enqueueTagMessages, FIRST_TAGGED_CUSTOMER, listOutbox } from "../support/outbox";
import { deliverDueOutbox } from "~/services/outbox.server";
import { adminCalls, meterAdminApi, meteredBucket, spendFromMeter, stubAdminOperation } from "../support/admin-api";
import { installNewShop } from "../support/sessions";

/**
 * The outbox against Shopify's cost-based throttle (the stub meters every call with a leaky bucket, on a virtual
 * clock that the outbox's pacing waits advance): a backlog drains without one THROTTLED answer, leaving a quarter of the
 * bucket to interactive calls the whole time.
 */
const T0 = new Date("2026-12-03T10:00:00.000Z");

const newShop = () => installNewShop("pacing");

/** A virtual clock: pacing's waits advance it instead of sleeping. */
function virtualTime() {
  const clock = { now: 0, waits: [] as number[] };
  return {
    clock,
    options: {
      now: T0,
      batch: 1000,
      clock: () => clock.now,
      sleep: async (ms: number) => {
        clock.waits.push(ms);
        clock.now += ms;
      },
    },
  };
}

afterEach(async () => {
  vi.restoreAllMocks();
  await prisma.outboxMessage.deleteMany();
});

describe("outbox pacing (Shopify's cost-based throttle)", () => {
  it("drains 400 mutations on a standard plan without a THROTTLED answer, never below the interactive reserve", async () => {
    // GIVEN 400 tag mutations (10 points each = 4,000 points) queued for a shop on a standard plan (2,000-point
    // bucket, 100 points/s), and interactive calls of the shop's own (40 of 10 points) made in the middle of the drain
    const shop = await newShop();
    const { clock, options } = virtualTime();
    meterAdminApi("standard", () => clock.now);
    const lowest: number[] = [];
    const interactive: boolean[] = [];
    stubAdminOperation("AfterglowTagsAdd", () => {
      lowest.push(meteredBucket(shop)!.currentlyAvailable);
      if (adminCalls.length === 200) for (let i = 0; i < 40; i++) interactive.push(spendFromMeter(shop, 10));
      return { tagsAdd: { userErrors: [] } };
    });
    await enqueueTagMessages(shop, 400, T0);

    // WHEN the outbox runs once
    const report = await deliverDueOutbox(options);

    // THEN every message was delivered on its first call: no THROTTLED answer, no retry
    expect(report).toEqual({ delivered: 400, retried: 0, failed: 0 });
    expect(adminCalls).toHaveLength(400);
    expect((await listOutbox(shop)).every((m) => m.status === "delivered" && m.attempts === 1)).toBe(true);
    // AND the interactive burst of 40 made mid-drain (400 points) was never refused: it spent the reserve (a quarter
    // of the bucket: 500 points) the outbox had left. After every other call the bucket still held the reserve; the
    // one call after the burst, paced on an answer that could not show it, left 100, and the outbox then waited for
    // the reserve to refill before its next call.
    expect(interactive).toEqual(Array.from({ length: 40 }, () => true));
    expect(lowest.flatMap((points, call) => (points < 500 ? [{ call, points }] : []))).toEqual([{ call: 200, points: 100 }]);
    // AND it went as fast as the bucket allows: 1,500 points above the reserve at once, then the restore rate pays
    // for the other 2,500 + the 400 interactive points: 29 s (each wait rounded up to the millisecond)
    expect(clock.now).toBeGreaterThanOrEqual(29_000);
    expect(clock.now).toBeLessThanOrEqual(29_000 + clock.waits.length);
  }, 60_000); // 400 deliveries, each a call and a database update: seconds on a loaded machine

  it("ends a shop's run when the wait would be long, and the next run delivers the rest in order", async () => {
    // GIVEN a shop whose limit Shopify has reduced (1,000-point bucket, 10 points/s) and 30 queued mutations
    const shop = await newShop();
    const { clock, options } = virtualTime();
    meterAdminApi({ maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 10 }, () => clock.now);
    stubAdminOperation("AfterglowTagsAdd", () => {
      // The merchant's own calls leave the bucket nearly empty right after the outbox's fifth call: the sixth call
      // (paced on the fifth answer, which did not see them) still fits, and its answer shows the bucket empty.
      if (adminCalls.length === 5) while (meteredBucket(shop)!.currentlyAvailable >= 20) spendFromMeter(shop, 10);
      return { tagsAdd: { userErrors: [] } };
    });
    await enqueueTagMessages(shop, 30, T0);

    // WHEN the outbox runs: after the sixth call the bucket is empty, and 10 + 250 reserve points take 26 s (> 10 s)
    const first = await deliverDueOutbox(options);

    // THEN the run stopped instead of sleeping 26 s or being throttled; the rest wait, due, untouched
    expect(first).toEqual({ delivered: 6, retried: 0, failed: 0 });
    expect(clock.waits).toEqual([]);
    const rows = await listOutbox(shop);
    const pending = rows.filter((m) => m.status === "pending");
    expect(pending).toHaveLength(24);
    expect(pending.every((m) => m.attempts === 0 && m.lastError === null)).toBe(true);

    // WHEN the next run comes 30 s later (the bucket has 300 points again)
    clock.now += 30_000;
    const second = await deliverDueOutbox(options);

    // THEN it delivers the rest, in id order, pacing itself to the restore rate
    expect(second).toEqual({ delivered: 24, retried: 0, failed: 0 });
    const sent = adminCalls.map((c) => (c.variables as { id: string }).id);
    expect(sent).toEqual(Array.from({ length: 30 }, (_, i) => `gid://shopify/Customer/${FIRST_TAGGED_CUSTOMER + i}`));
    expect(Math.min(...clock.waits)).toBeGreaterThan(0);
  });

  it("paces each shop by its own bucket", async () => {
    // GIVEN two shops, one whose merchant's calls leave its bucket nearly empty after the outbox's first call, one
    // untouched
    const busy = await newShop();
    const quiet = await newShop();
    const { clock, options } = virtualTime();
    meterAdminApi("standard", () => clock.now);
    stubAdminOperation("AfterglowTagsAdd", (call) => {
      if (call.shop === busy && adminCalls.filter((c) => c.shop === busy).length === 1) {
        while (meteredBucket(busy)!.currentlyAvailable >= 20) spendFromMeter(busy, 10);
      }
      return { tagsAdd: { userErrors: [] } };
    });
    await enqueueTagMessages(busy, 3, T0);
    await enqueueTagMessages(quiet, 3, T0);

    // WHEN the outbox runs
    const report = await deliverDueOutbox(options);

    // THEN both shops' messages go out; only the emptied bucket made the outbox wait, once, before its third call:
    // its second answer showed 0 points, and 10 + 500 reserve points take 5.1 s
    expect(report).toEqual({ delivered: 6, retried: 0, failed: 0 });
    expect(clock.waits).toEqual([5100]);
  });

  it("waits out a pace of exactly the longest wait it allows (10 s), and stops at once when shut down during one", async () => {
    // GIVEN a shop whose bucket (1,000 points, 26/s) its merchant's own calls empty during the outbox's first call:
    // the second call still fits, its answer shows 0 points, and 10 + 250 reserve points then take exactly 10 s
    const emptyAfterFirstCall = (shop: string) => {
      stubAdminOperation("AfterglowTagsAdd", () => {
        if (adminCalls.length === 1) while (meteredBucket(shop)!.currentlyAvailable >= 20) spendFromMeter(shop, 10);
        return { tagsAdd: { userErrors: [] } };
      });
    };
    const bucket = { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 26 };
    const shop = await newShop();
    const { clock, options } = virtualTime();
    meterAdminApi(bucket, () => clock.now);
    emptyAfterFirstCall(shop);
    await enqueueTagMessages(shop, 3, T0);

    // WHEN the outbox runs
    const report = await deliverDueOutbox(options);

    // THEN it waited the 10 s and sent the third in the same run
    expect(clock.waits).toEqual([10_000]);
    expect(report).toEqual({ delivered: 3, retried: 0, failed: 0 });

    // GIVEN the same again, on another shop, and a shutdown that comes during the wait
    adminCalls.length = 0;
    const other = await newShop();
    const second = virtualTime();
    meterAdminApi(bucket, () => second.clock.now);
    emptyAfterFirstCall(other);
    await enqueueTagMessages(other, 3, T0);
    const stop = new AbortController();

    // WHEN the outbox runs
    const stopped = await deliverDueOutbox({
      ...second.options,
      signal: stop.signal,
      sleep: async (ms: number) => {
        second.clock.waits.push(ms);
        stop.abort();
      },
    });

    // THEN the third message was not sent after the wait: it is pending, due now, no attempt used
    expect(second.clock.waits).toEqual([10_000]);
    expect(stopped).toEqual({ delivered: 2, retried: 0, failed: 0 });
    expect((await listOutbox(other)).map((m) => [m.status, m.attempts])).toEqual([
      ["delivered", 1],
      ["delivered", 1],
      ["pending", 0],
    ]);
    expect(adminCalls).toHaveLength(2);
  });

  it("serves at most four shops at once, however many have work", async () => {
    // GIVEN six shops with a message each, and a Shopify that takes 200 ms to answer
    const shops = [];
    for (let i = 0; i < 6; i++) shops.push(await newShop());
    for (const shop of shops) await enqueueTagMessages(shop, 1, T0);
    let inFlight = 0;
    let mostInFlight = 0;
    stubAdminOperation("AfterglowTagsAdd", async () => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 200));
      inFlight -= 1;
      return { tagsAdd: { userErrors: [] } };
    });

    // WHEN the outbox runs
    const report = await deliverDueOutbox({ now: T0 });

    // THEN all six were served, never more than four at the same moment
    expect(report).toEqual({ delivered: 6, retried: 0, failed: 0 });
    expect(mostInFlight).toBe(4);
  });

  it("waits on Shopify for four shops at once, while their database steps take turns", async () => {
    // GIVEN four shops with a message each, a Shopify that answers only once all four calls are in flight (or after
    // 2 s), and the outbox's claims and marks timed
    const shops = [await newShop(), await newShop(), await newShop(), await newShop()];
    for (const shop of shops) await enqueueTagMessages(shop, 1, T0);
    let inFlight = 0;
    let mostInFlight = 0;
    let allArrived: () => void = () => {};
    const arrived = new Promise<void>((resolve) => (allArrived = resolve));
    stubAdminOperation("AfterglowTagsAdd", async () => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      if (inFlight === shops.length) allArrived();
      await Promise.race([arrived, new Promise((resolve) => setTimeout(resolve, 2000))]);
      inFlight -= 1;
      return { tagsAdd: { userErrors: [] } };
    });
    let stepsAtOnce = 0;
    let mostStepsAtOnce = 0;
    const timed = <A extends unknown[], R>(step: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
      mostStepsAtOnce = Math.max(mostStepsAtOnce, ++stepsAtOnce);
      try {
        return await step(...args);
      } finally {
        stepsAtOnce -= 1;
      }
    };
    const { claimDueMessages, markDeliveredGroup } = outboxModel;
    vi.spyOn(outboxModel, "claimDueMessages").mockImplementation(timed(claimDueMessages));
    vi.spyOn(outboxModel, "markDeliveredGroup").mockImplementation(timed(markDeliveredGroup));

    // WHEN the outbox runs
    const report = await deliverDueOutbox({ now: T0 });

    // THEN every shop's call was in flight at the same moment, but no two claims or marks ran side by side: one
    // connection and one database core for the whole run, the rest left to shoppers' requests
    expect(report).toEqual({ delivered: 4, retried: 0, failed: 0 });
    expect(mostInFlight).toBe(4);
    expect(mostStepsAtOnce).toBe(1);
    expect(adminCalls.map((c) => c.shop).sort()).toEqual([...shops].sort());
  });
});
