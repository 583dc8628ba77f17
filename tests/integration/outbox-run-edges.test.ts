import { afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import * as outboxModel from "~/models/outbox.server";
import { type OutboxEnqueue } from "~/models/outbox.server";
import { inTransaction } from "~/models/transaction.server";
import { deliverDueOutbox, startOutboxWorker } from "~/services/outbox.server";
import { loyaltyMetafieldVariables, tagVariables } from "~/shopify/customer-mirror.server";
import { adminCalls, stubAdminOperation } from "../support/admin-api";
import { allowConsoleError } from "../support/console";
import { enqueueOutbox, enqueueTagMessages, FIRST_TAGGED_CUSTOMER, listOutbox } from "../support/outbox";
import { installNewShop } from "../support/sessions";

/**
 * The edges of one delivery run (services/outbox.server.ts): a message of an operation the app does not know, the
 * lease a claimed message carries while its call is out, and a shutdown before or during the run; and the background
 * loop that starts runs.
 */
const T0 = new Date("2026-12-05T10:00:00.000Z");
const MINUTE = 60_000;
/** How long a claimed message stays invisible to other workers (the outbox's LEASE_MS). */
const LEASE_MS = 5 * MINUTE;

const newShop = () => installNewShop("run-edges");

afterEach(async () => {
  vi.restoreAllMocks();
  await prisma.outboxMessage.deleteMany();
});

describe("one delivery run's edges", () => {
  it("fails a message of an unknown operation for good, without calling Shopify", async () => {
    // GIVEN a message whose operation the app does not know (a row written by another version, say)
    allowConsoleError(); // a message given up is logged as an error on purpose
    const shop = await newShop();
    await prisma.outboxMessage.create({ data: { shop, operation: "customerDelete", variables: "{}", nextAttemptAt: T0, createdAt: T0 } });

    // WHEN the outbox runs
    const report = await deliverDueOutbox({ now: T0 });

    // THEN it is failed on its first attempt with the reason, and nothing went to Shopify
    expect(report).toEqual({ delivered: 0, retried: 0, failed: 1 });
    expect(adminCalls).toHaveLength(0);
    expect((await listOutbox(shop)).map((m) => [m.status, m.attempts, m.lastError])).toEqual([
      ["failed", 1, "customerDelete: userErrors: unknown outbox operation"],
    ]);
  });

  it("holds a message leased for five minutes while its call is out: a run of another instance meanwhile finds nothing", async () => {
    // GIVEN one message, and a Shopify that, during the call, lets another instance's run go first
    const shop = await newShop();
    await enqueueTagMessages(shop, 1, T0);
    const during: { nextAttemptAt?: Date; other?: unknown } = {};
    stubAdminOperation("AfterglowTagsAdd", async () => {
      during.nextAttemptAt = (await listOutbox(shop))[0]?.nextAttemptAt;
      during.other = await deliverDueOutbox({ now: T0 });
      return { tagsAdd: { userErrors: [] } };
    });

    // WHEN the outbox runs
    const report = await deliverDueOutbox({ now: T0 });

    // THEN the message was leased until five minutes on, the other run sent nothing, and it went out once
    expect(during).toEqual({ nextAttemptAt: new Date(T0.getTime() + LEASE_MS), other: { delivered: 0, retried: 0, failed: 0 } });
    expect(report).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(adminCalls).toHaveLength(1);
  });

  it("a run asked to stop before it starts claims nothing and leaves every message as it was", async () => {
    const shop = await newShop();
    await enqueueTagMessages(shop, 2, T0);
    const stop = new AbortController();
    stop.abort();

    const report = await deliverDueOutbox({ now: new Date(T0.getTime() + MINUTE), signal: stop.signal });

    expect(report).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(adminCalls).toHaveLength(0);
    expect((await listOutbox(shop)).map((m) => [m.status, m.attempts, m.nextAttemptAt])).toEqual([
      ["pending", 0, T0],
      ["pending", 0, T0],
    ]);
  });

  it("a run asked to stop during a call finishes that call and starts no other; the rest are due at once", async () => {
    // GIVEN three messages, and a shutdown that comes while the first call is out
    const shop = await newShop();
    await enqueueTagMessages(shop, 3, T0);
    const stop = new AbortController();
    stubAdminOperation("AfterglowTagsAdd", () => {
      stop.abort();
      return { tagsAdd: { userErrors: [] } };
    });
    const now = new Date(T0.getTime() + MINUTE);

    // WHEN the outbox runs
    const report = await deliverDueOutbox({ now, signal: stop.signal });

    // THEN the first is delivered, the other two were never sent and are pending again, due now, no attempt used
    expect(report).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(adminCalls).toHaveLength(1);
    expect((await listOutbox(shop)).map((m) => [m.status, m.attempts, m.status === "delivered" ? m.deliveredAt : m.nextAttemptAt])).toEqual([
      ["delivered", 1, now],
      ["pending", 0, now],
      ["pending", 0, now],
    ]);
  });
});

describe("a run whose database fails it after a call", () => {
  /** Three messages; the first call is answered, then the database fails (`error`) to record it, and its retry too. */
  async function failedRecording(error: Error) {
    const shop = await newShop();
    await enqueueTagMessages(shop, 3, T0);
    stubAdminOperation("AfterglowTagsAdd", () => ({ tagsAdd: { userErrors: [] } }));
    const mark = vi.spyOn(outboxModel, "markDeliveredGroup").mockRejectedValueOnce(error);
    const retry = vi.spyOn(outboxModel, "scheduleRetry").mockRejectedValueOnce(error);
    const now = new Date(T0.getTime() + MINUTE);
    const report = await deliverDueOutbox({ now });
    mark.mockRestore();
    retry.mockRestore();
    const rows = (await listOutbox(shop)).map((m) => [m.status, m.attempts, m.nextAttemptAt]);
    return { shop, now, report, rows };
  }

  it("keeps the sent message leased (due again when its lease ends) and puts the others back, due at once; logged as an error", async () => {
    allowConsoleError();
    const errors: unknown[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((line: unknown) => void errors.push(JSON.parse(String(line))));
    const { shop, now, report, rows } = await failedRecording(new Error("Connection terminated unexpectedly"));
    spy.mockRestore();

    expect(report).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(adminCalls).toHaveLength(1);
    expect(rows).toEqual([
      ["pending", 0, new Date(now.getTime() + LEASE_MS)],
      ["pending", 0, now],
      ["pending", 0, now],
    ]);
    expect(errors).toEqual([expect.objectContaining({ level: "error", msg: "outbox delivery failed for shop", shop, error: "Error" })]);
  });

  it("treats losing a lock conflict to a webhook's transaction as no fault: the same state, and no error logged", async () => {
    // (an error line would fail this test: it does not allow console.error)
    const deadlock = Object.assign(new Error("deadlock detected"), { code: "40P01", severity: "ERROR" });
    const { now, report, rows } = await failedRecording(deadlock);

    expect(report).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(rows).toEqual([
      ["pending", 0, new Date(now.getTime() + LEASE_MS)],
      ["pending", 0, now],
      ["pending", 0, now],
    ]);
  });

  it("a refusal of variables replaced during the call leaves the message pending with the new ones, due at the run's time, and ends the shop's run", async () => {
    // GIVEN a loyalty status message and a tag message after it; while the status call is out, the customer's points
    // change (the pending message takes the new variables), and Shopify refuses the old ones
    const shop = await newShop();
    const loyaltyStatus = (points: number): OutboxEnqueue => ({
      operation: "metafieldsSet",
      variables: loyaltyMetafieldVariables("42", { tierName: "Gold", tierSlug: "gold", points }),
      coalesceKey: "loyalty-status:42",
    });
    await inTransaction((tx) => enqueueOutbox(tx, shop, loyaltyStatus(100), T0));
    await enqueueTagMessages(shop, 1, T0);
    stubAdminOperation("AfterglowMetafieldsSet", async () => {
      await inTransaction((tx) => enqueueOutbox(tx, shop, loyaltyStatus(999), T0));
      return { metafieldsSet: { metafields: [], userErrors: [{ field: ["metafields", "0", "value"], message: "Value is invalid" }] } };
    });
    stubAdminOperation("AfterglowTagsAdd", () => ({ tagsAdd: { userErrors: [] } }));

    // WHEN the outbox runs
    const report = await deliverDueOutbox({ now: T0 });

    // THEN the refusal was about variables no longer queued: nothing failed, the message waits with its new
    // variables and no attempt used, and the shop's next message waits for the next run
    expect(report).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(adminCalls.map((c) => c.operation)).toEqual(["AfterglowMetafieldsSet"]);
    expect((await listOutbox(shop)).map((m) => [m.operation, m.status, m.attempts, m.lastError, m.variables])).toEqual([
      ["metafieldsSet", "pending", 0, null, loyaltyStatus(999).variables],
      ["tagsAdd", "pending", 0, null, tagVariables(String(FIRST_TAGGED_CUSTOMER), "afterglow-tier-gold")],
    ]);

    // AND it is due at the run's time: a next run at that same time sends the new variables, then the tag
    stubAdminOperation("AfterglowMetafieldsSet", () => ({ metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/1" }], userErrors: [] } }));
    expect(await deliverDueOutbox({ now: T0 })).toEqual({ delivered: 2, retried: 0, failed: 0 });
    expect(adminCalls.slice(1).map((c) => [c.operation, c.variables])).toEqual([
      ["AfterglowMetafieldsSet", loyaltyStatus(999).variables],
      ["AfterglowTagsAdd", tagVariables(String(FIRST_TAGGED_CUSTOMER), "afterglow-tier-gold")],
    ]);
  });
});

describe("the background loop", () => {
  it("runs again after each run ends, never two runs at once, however short its period", async () => {
    // GIVEN a loop every 10 ms, and a Shopify that takes 300 ms to answer
    const shop = await newShop();
    await enqueueTagMessages(shop, 1, new Date());
    let scans = 0;
    const { shopsWithDueMessages } = outboxModel;
    vi.spyOn(outboxModel, "shopsWithDueMessages").mockImplementation((now) => {
      scans += 1;
      return shopsWithDueMessages(now);
    });
    let scansDuringCall: number | undefined;
    stubAdminOperation("AfterglowTagsAdd", async () => {
      const before = scans;
      await new Promise((resolve) => setTimeout(resolve, 300));
      scansDuringCall ??= scans - before;
      return { tagsAdd: { userErrors: [] } };
    });
    const stop = startOutboxWorker(10);
    try {
      // WHEN the first message is delivered, and a second is queued after that run
      await vi.waitFor(async () => expect((await listOutbox(shop))[0]?.status).toBe("delivered"), { timeout: 5000, interval: 20 });
      await enqueueTagMessages(shop, 1, new Date());
      // THEN a later run delivers it too
      await vi.waitFor(async () => expect((await listOutbox(shop)).map((m) => m.status)).toEqual(["delivered", "delivered"]), { timeout: 5000, interval: 20 });
    } finally {
      await stop();
    }
    // AND no run started while the first call was out (thirty ticks passed meanwhile)
    expect(scansDuringCall).toBe(0);
    expect(adminCalls).toHaveLength(2);
  });

  it("stop() during a run finishes the call in flight and sends nothing more; the rest stay pending", async () => {
    // GIVEN three messages, and a Shopify whose first answer comes only once stop() was called
    const shop = await newShop();
    await enqueueTagMessages(shop, 3, new Date());
    let stopCalled: () => void = () => {};
    const stopping = new Promise<void>((resolve) => (stopCalled = resolve));
    let callStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => (callStarted = resolve));
    stubAdminOperation("AfterglowTagsAdd", async () => {
      callStarted();
      await stopping;
      return { tagsAdd: { userErrors: [] } };
    });
    const stop = startOutboxWorker(60_000);

    // WHEN the worker is stopped while its first call is out
    await started;
    const stopped = stop();
    stopCalled();
    await stopped;

    // THEN that call's message is delivered, and the other two were not sent
    expect(adminCalls).toHaveLength(1);
    expect((await listOutbox(shop)).map((m) => m.status)).toEqual(["delivered", "pending", "pending"]);
  });
});
