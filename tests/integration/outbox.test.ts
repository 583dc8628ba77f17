import { afterEach, describe, expect, it, vi } from "vitest";
import { prisma } from "~/db.server";
import { recordingGraphql } from "~/demo/admin-recorder.server";
import { claimDueMessages, markFailed, outboxSummary, releaseClaimedMessages, retryFailedMessage, scheduleRetry, shopsWithDueMessages, type OutboxEnqueue } from "~/models/outbox.server";
import { enqueueOutbox, listOutbox, markDelivered } from "../support/outbox";
import { markShopUninstalled, saveShopProfile } from "~/models/shops.server";
import { inTransaction } from "~/models/transaction.server";
import { deliverDueOutbox, MAX_ATTEMPTS, retryDelayMs, startOutboxWorker } from "~/services/outbox.server";
import {
  METAFIELDS_SET_MUTATION,
  TAGS_ADD_MUTATION,
  TAGS_REMOVE_MUTATION,
  loyaltyMetafieldVariables,
  runOutboxOperation,
  tagVariables,
} from "~/shopify/customer-mirror.server";
import { adminCalls, failAdminOperation, stubAdminOperation } from "../support/admin-api";
import { allowConsoleError } from "../support/console";
import { installNewShop } from "../support/sessions";

const T0 = new Date("2026-11-20T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const SECOND = 1000;

/** Each test gets its own installed shop (an offline session, so `unauthenticated.admin(shop)` works). */
const newShop = () => installNewShop("outbox");

function stubMirror() {
  stubAdminOperation("AfterglowTagsAdd", () => ({ tagsAdd: { userErrors: [] } }));
  stubAdminOperation("AfterglowTagsRemove", () => ({ tagsRemove: { userErrors: [] } }));
  stubAdminOperation("AfterglowMetafieldsSet", () => ({ metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/1" }], userErrors: [] } }));
}

const tagsAdd = (customerId: string, tag: string): OutboxEnqueue => ({ operation: "tagsAdd", variables: tagVariables(customerId, tag) });
const status = (customerId: string, points: number, tier: "Silver" | "Gold" = "Silver"): OutboxEnqueue => ({
  operation: "metafieldsSet",
  variables: loyaltyMetafieldVariables(customerId, { tierName: tier, tierSlug: tier.toLowerCase(), points }),
  coalesceKey: `loyalty-status:${customerId}`,
});

async function enqueue(shop: string, messages: OutboxEnqueue[], now = T0) {
  await inTransaction(async (tx) => {
    for (const message of messages) await enqueueOutbox(tx, shop, message, now);
  });
}

async function row(shop: string, index = 0) {
  const rows = await listOutbox(shop);
  const found = rows[index];
  if (!found) throw new Error(`no outbox row ${index} for ${shop}`);
  return found;
}

// Every test starts with an empty outbox, so delivery reports count this test's messages only.
afterEach(async () => {
  await prisma.outboxMessage.deleteMany();
});

describe("outbox: queued with the change, delivered later", () => {
  it("delivers what a transaction queued, with the exact documents and variables, exactly once (real client)", async () => {
    // GIVEN an installed shop and three calls queued in one transaction
    const shop = await newShop();
    stubMirror();
    await enqueue(shop, [
      { operation: "tagsRemove", variables: tagVariables("42", "afterglow-tier-bronze") },
      tagsAdd("42", "afterglow-tier-silver"),
      status("42", 300),
    ]);
    expect(adminCalls).toHaveLength(0);

    // WHEN the outbox is delivered through the default client (the shop's offline session)
    const report = await deliverDueOutbox({ now: T0 });

    // THEN the three documents went to this shop in order, with exactly these variables
    expect(report).toEqual({ delivered: 3, retried: 0, failed: 0 });
    expect(adminCalls.map((c) => [c.shop, c.operation, c.query, c.variables])).toEqual([
      [shop, "AfterglowTagsRemove", TAGS_REMOVE_MUTATION, { id: "gid://shopify/Customer/42", tags: ["afterglow-tier-bronze"] }],
      [shop, "AfterglowTagsAdd", TAGS_ADD_MUTATION, { id: "gid://shopify/Customer/42", tags: ["afterglow-tier-silver"] }],
      [
        shop,
        "AfterglowMetafieldsSet",
        METAFIELDS_SET_MUTATION,
        {
          metafields: [
            {
              ownerId: "gid://shopify/Customer/42",
              namespace: "$app:loyalty",
              key: "status",
              type: "json",
              value: JSON.stringify({ tier: "Silver", tierSlug: "silver", points: 300 }),
            },
          ],
        },
      ],
    ]);
    const rows = await listOutbox(shop);
    expect(rows.map((r) => [r.status, r.attempts, r.deliveredAt?.getTime(), r.lastError])).toEqual([
      ["delivered", 1, T0.getTime(), null],
      ["delivered", 1, T0.getTime(), null],
      ["delivered", 1, T0.getTime(), null],
    ]);

    // AND a second run sends nothing more, even much later
    expect(await deliverDueOutbox({ now: at(3600 * SECOND) })).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(adminCalls).toHaveLength(3);
    expect(await outboxSummary(shop)).toMatchObject({ pending: 0, delivered: 3, failed: 0, recentFailures: [] });
  });

  it("a rolled-back transaction queues nothing", async () => {
    const shop = await newShop();
    const outcome = inTransaction(async (tx) => {
      await enqueueOutbox(tx, shop, tagsAdd("7", "afterglow-tier-gold"), T0);
      throw new Error("the change failed");
    });
    await expect(outcome).rejects.toThrow("the change failed");
    expect(await listOutbox(shop)).toEqual([]);
    expect(await deliverDueOutbox({ now: T0 })).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(adminCalls).toHaveLength(0);
  });

  it("coalesces pending metafieldsSet by key: one message, its place kept, the newest variables sent", async () => {
    const shop = await newShop();
    stubMirror();
    // GIVEN three transactions: status for 42, a tag, status for 42 again, and status for 43
    await enqueue(shop, [status("42", 100)]);
    await enqueue(shop, [tagsAdd("42", "afterglow-tier-silver")]);
    await enqueue(shop, [status("42", 250), status("43", 5)]);

    // THEN customer 42 has one metafield message, in its first place, with the newest points
    const rows = await listOutbox(shop);
    expect(rows.map((r) => [r.operation, r.coalesceKey])).toEqual([
      ["metafieldsSet", "loyalty-status:42"],
      ["tagsAdd", null],
      ["metafieldsSet", "loyalty-status:43"],
    ]);
    expect(rows[0]?.variables).toEqual(status("42", 250).variables);

    // WHEN delivered, the metafield goes out once with 250 points
    await deliverDueOutbox({ now: T0 });
    const sent = adminCalls.filter((c) => c.operation === "AfterglowMetafieldsSet").map((c) => c.variables);
    expect(sent).toEqual([status("42", 250).variables, status("43", 5).variables]);

    // AND a later change queues a new message instead of touching the delivered one
    await enqueue(shop, [status("42", 400, "Gold")], at(SECOND));
    const after = await listOutbox(shop);
    expect(after.map((r) => r.status)).toEqual(["delivered", "delivered", "delivered", "pending"]);
    expect(after[0]?.variables).toEqual(status("42", 250).variables);
  });

  it("a coalesced update that lands while its message is being sent is delivered too", async () => {
    const shop = await newShop();
    let calls = 0;
    stubAdminOperation("AfterglowMetafieldsSet", async () => {
      calls += 1;
      // The customer's points change while Shopify is answering the first call.
      if (calls === 1) await enqueue(shop, [status("42", 999)], T0);
      return { metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/1" }], userErrors: [] } };
    });
    await enqueue(shop, [status("42", 100)]);

    // WHEN the first delivery sent 100 points but 999 was queued meanwhile
    expect(await deliverDueOutbox({ now: T0 })).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(await row(shop)).toMatchObject({ status: "pending", variables: status("42", 999).variables });

    // THEN the next run sends 999 and only then is the message delivered
    expect(await deliverDueOutbox({ now: T0 })).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(adminCalls.map((c) => c.variables)).toEqual([status("42", 100).variables, status("42", 999).variables]);
    expect(await row(shop)).toMatchObject({ status: "delivered" });
  });
});

describe("outbox: retries and failures", () => {
  it("a 503 twice then success: retried with backoff, never before nextAttemptAt, later messages wait their turn", async () => {
    const shop = await newShop();
    stubMirror();
    failAdminOperation("AfterglowTagsAdd", { status: 503, times: 2 });
    await enqueue(shop, [tagsAdd("42", "afterglow-tier-silver"), { operation: "tagsRemove", variables: tagVariables("42", "afterglow-tier-bronze") }]);

    // WHEN the first attempt meets a 503
    expect(await deliverDueOutbox({ now: T0 })).toEqual({ delivered: 0, retried: 1, failed: 0 });
    let first = await row(shop);
    expect(first).toMatchObject({ status: "pending", attempts: 1, lastError: "tagsAdd: HTTP 503 Service Unavailable" });
    const retry1 = first.nextAttemptAt.getTime() - T0.getTime();
    expect(retry1).toBeGreaterThanOrEqual(30 * SECOND);
    expect(retry1).toBeLessThanOrEqual(33 * SECOND);
    // the tagsRemove behind it was not sent: per shop, messages go in order
    expect(adminCalls.map((c) => c.operation)).toEqual(["AfterglowTagsAdd"]);

    // THEN nothing is sent before nextAttemptAt
    expect(await deliverDueOutbox({ now: new Date(first.nextAttemptAt.getTime() - 1) })).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(adminCalls).toHaveLength(1);

    // WHEN the second attempt (at nextAttemptAt) meets a 503 again, the wait doubles
    const t1 = first.nextAttemptAt;
    expect(await deliverDueOutbox({ now: t1 })).toEqual({ delivered: 0, retried: 1, failed: 0 });
    first = await row(shop);
    const retry2 = first.nextAttemptAt.getTime() - t1.getTime();
    expect(first.attempts).toBe(2);
    expect(retry2).toBeGreaterThanOrEqual(60 * SECOND);
    expect(retry2).toBeLessThanOrEqual(66 * SECOND);

    // THEN the third attempt succeeds, and the waiting message follows
    expect(await deliverDueOutbox({ now: first.nextAttemptAt })).toEqual({ delivered: 2, retried: 0, failed: 0 });
    expect(adminCalls.map((c) => c.operation)).toEqual(["AfterglowTagsAdd", "AfterglowTagsAdd", "AfterglowTagsAdd", "AfterglowTagsRemove"]);
    expect((await listOutbox(shop)).map((r) => [r.status, r.attempts])).toEqual([
      ["delivered", 3],
      ["delivered", 1],
    ]);
  });

  it("a 429 is retried at Shopify's Retry-After", async () => {
    const shop = await newShop();
    stubMirror();
    await enqueue(shop, [status("42", 10)]);

    // The answer came 700 ms into the run: Retry-After counts from the answer, not from the run's start.
    let elapsed = 0;
    failAdminOperation("AfterglowMetafieldsSet", { status: 429, retryAfter: 120, onCall: () => (elapsed = 700) });
    expect(await deliverDueOutbox({ now: T0, clock: () => elapsed })).toEqual({ delivered: 0, retried: 1, failed: 0 });
    const waiting = await row(shop);
    expect(waiting.nextAttemptAt.getTime()).toBe(T0.getTime() + 700 + 120 * SECOND);
    expect(waiting.lastError).toBe("metafieldsSet: HTTP 429 Too Many Requests");

    expect(await deliverDueOutbox({ now: at(700 + 120 * SECOND - 1) })).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(await deliverDueOutbox({ now: at(700 + 120 * SECOND) })).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(adminCalls).toHaveLength(2);
  });

  it("GraphQL THROTTLED and network errors are retried, not failed", async () => {
    const shop = await newShop();
    stubMirror();
    failAdminOperation("AfterglowTagsAdd", {
      status: 200,
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
      extensions: { cost: { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 } } },
    });
    await enqueue(shop, [tagsAdd("42", "afterglow-tier-silver")]);

    // THROTTLED: retried when the bucket has refilled enough (10 points at 100/s → 1 s); throttling uses no attempt up
    // (the run takes no time on its virtual clock)
    expect(await deliverDueOutbox({ now: T0, clock: () => 0 })).toEqual({ delivered: 0, retried: 1, failed: 0 });
    let waiting = await row(shop);
    expect(waiting).toMatchObject({ status: "pending", attempts: 0, lastError: "tagsAdd: GraphQL THROTTLED Throttled" });
    expect(waiting.nextAttemptAt.getTime()).toBe(T0.getTime() + SECOND);

    // a network failure: retried with backoff, and counted
    failAdminOperation("AfterglowTagsAdd", { network: true });
    expect(await deliverDueOutbox({ now: waiting.nextAttemptAt })).toEqual({ delivered: 0, retried: 1, failed: 0 });
    waiting = await row(shop);
    expect(waiting).toMatchObject({ status: "pending", attempts: 1 });
    expect(waiting.lastError).toContain("fetch failed");

    expect(await deliverDueOutbox({ now: waiting.nextAttemptAt })).toEqual({ delivered: 1, retried: 0, failed: 0 });
  });

  it("throttling for longer than MAX_ATTEMPTS tries never fails a message; other failures still count", async () => {
    const shop = await newShop();
    stubMirror();
    failAdminOperation("AfterglowMetafieldsSet", { status: 429, retryAfter: 2, times: MAX_ATTEMPTS * 2 });
    await enqueue(shop, [status("42", 10)]);
    let now = T0;
    for (let i = 0; i < MAX_ATTEMPTS * 2; i++) {
      expect(await deliverDueOutbox({ now, clock: () => 0 })).toEqual({ delivered: 0, retried: 1, failed: 0 });
      const waiting = await row(shop);
      expect(waiting).toMatchObject({ status: "pending", attempts: 0 });
      expect(waiting.nextAttemptAt.getTime()).toBe(now.getTime() + 2 * SECOND);
      now = waiting.nextAttemptAt;
    }
    // A 503 is a real failed attempt.
    failAdminOperation("AfterglowMetafieldsSet", { status: 503 });
    expect(await deliverDueOutbox({ now })).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(await row(shop)).toMatchObject({ status: "pending", attempts: 1 });
    expect(await deliverDueOutbox({ now: (await row(shop)).nextAttemptAt })).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(adminCalls).toHaveLength(MAX_ATTEMPTS * 2 + 2);
  });

  it("userErrors fail the message at once, visible in the summary, and retryFailedMessage puts it back", async () => {
    allowConsoleError(); // a permanent failure is logged as an error on purpose
    const shop = await newShop();
    stubMirror();
    let refuse = true;
    stubAdminOperation("AfterglowTagsAdd", () =>
      refuse
        ? { tagsAdd: { userErrors: [{ field: ["id"], message: "Customer does not exist" }] } }
        : { tagsAdd: { userErrors: [] } },
    );
    await enqueue(shop, [tagsAdd("42", "afterglow-tier-silver"), status("42", 300)]);

    // WHEN Shopify refuses the tag: failed at once, and the next message is not held back by it
    expect(await deliverDueOutbox({ now: T0 })).toEqual({ delivered: 1, retried: 0, failed: 1 });
    const failed = await row(shop);
    expect(failed).toMatchObject({ status: "failed", attempts: 1, lastError: "tagsAdd: userErrors: id Customer does not exist" });
    expect(failed.lastError).not.toContain("42");

    // THEN the merchant sees it
    const summary = await outboxSummary(shop);
    expect(summary).toMatchObject({ pending: 0, delivered: 1, failed: 1 });
    expect(summary.recentFailures).toEqual([
      { id: failed.id, operation: "tagsAdd", lastError: "tagsAdd: userErrors: id Customer does not exist", attempts: 1, createdAt: T0 },
    ]);
    // AND nothing retries it on its own
    expect(await deliverDueOutbox({ now: at(86400 * SECOND) })).toEqual({ delivered: 0, retried: 0, failed: 0 });

    // WHEN the merchant retries it (after fixing the customer)
    refuse = false;
    expect(await retryFailedMessage("someone-else.myshopify.com", failed.id, at(60 * SECOND))).toBe(false);
    expect(await retryFailedMessage(shop, failed.id, at(60 * SECOND))).toBe(true);
    expect(await row(shop)).toMatchObject({ status: "pending", attempts: 0 });
    expect(await retryFailedMessage(shop, failed.id, at(60 * SECOND))).toBe(false);

    // THEN it is delivered
    expect(await deliverDueOutbox({ now: at(60 * SECOND) })).toEqual({ delivered: 1, retried: 0, failed: 0 });
    expect(await outboxSummary(shop)).toMatchObject({ pending: 0, delivered: 2, failed: 0, recentFailures: [] });
  });

  it("a failed status update is not put back beside a pending one with the same key (the database allows one)", async () => {
    const shop = await newShop();
    // GIVEN a pending status message for 42, and a failed one with the same key (as left by a retry racing an event)
    await enqueue(shop, [status("42", 300)]);
    await prisma.outboxMessage.create({
      data: { shop, operation: "metafieldsSet", variables: JSON.stringify(status("42", 100).variables), coalesceKey: "loyalty-status:42", status: "failed", attempts: 1, nextAttemptAt: T0, createdAt: T0 },
    });
    const failed = await row(shop, 1);
    // WHEN the merchant retries the failed one: refused, and the pending one keeps its variables
    expect(await retryFailedMessage(shop, failed.id, at(60 * SECOND))).toBe(false);
    expect((await listOutbox(shop)).map((m) => [m.status, m.variables])).toEqual([
      ["pending", status("42", 300).variables],
      ["failed", status("42", 100).variables],
    ]);
  });

  it("a failed call that newer calls have overtaken is not sent again (it would undo newer state)", async () => {
    allowConsoleError();
    const shop = await newShop();
    stubMirror();
    failAdminOperation("AfterglowTagsRemove", { status: 422, times: 1 });
    failAdminOperation("AfterglowMetafieldsSet", { status: 422, times: 1 });
    // GIVEN a failed tagsRemove of silver, a failed status, and a failed tagsAdd of gold for customer 42
    failAdminOperation("AfterglowTagsAdd", { status: 422, times: 1 });
    await enqueue(shop, [{ operation: "tagsRemove", variables: tagVariables("42", "afterglow-tier-silver") }, status("42", 10), tagsAdd("42", "afterglow-tier-gold")]);
    expect(await deliverDueOutbox({ now: T0 })).toEqual({ delivered: 0, retried: 0, failed: 3 });
    // AND since then silver was added again and a newer status delivered
    await enqueue(shop, [tagsAdd("42", "afterglow-tier-silver"), status("42", 20)], at(SECOND));
    expect(await deliverDueOutbox({ now: at(SECOND) })).toEqual({ delivered: 2, retried: 0, failed: 0 });
    const [removeSilver, oldStatus, addGold] = await listOutbox(shop);

    // THEN the stale tagsRemove and the stale status cannot be retried, the unrelated tagsAdd can
    expect(await retryFailedMessage(shop, removeSilver!.id, at(2 * SECOND))).toBe(false);
    expect(await retryFailedMessage(shop, oldStatus!.id, at(2 * SECOND))).toBe(false);
    expect(await retryFailedMessage(shop, addGold!.id, at(2 * SECOND))).toBe(true);
    expect((await listOutbox(shop)).map((r) => r.status)).toEqual(["failed", "failed", "pending", "delivered", "delivered"]);
  });

  it("an HTTP 4xx refusal fails at once; a 408 timeout is retried", async () => {
    allowConsoleError();
    const shop = await newShop();
    stubMirror();
    failAdminOperation("AfterglowTagsRemove", { status: 403, times: 1 });
    failAdminOperation("AfterglowTagsAdd", { status: 408, times: 1 });
    await enqueue(shop, [{ operation: "tagsRemove", variables: tagVariables("42", "afterglow-tier-bronze") }, tagsAdd("42", "afterglow-tier-silver")]);

    expect(await deliverDueOutbox({ now: T0 })).toEqual({ delivered: 0, retried: 1, failed: 1 });
    const [refused, timedOut] = await listOutbox(shop);
    expect(refused).toMatchObject({ status: "failed", attempts: 1, lastError: "tagsRemove: HTTP 403 Forbidden" });
    expect(timedOut).toMatchObject({ status: "pending", attempts: 1, lastError: "tagsAdd: HTTP 408 Request Timeout" });
  });

  it("gives up after the maximum number of attempts, backing off exponentially, and keeps the message as failed", async () => {
    allowConsoleError();
    const shop = await newShop();
    stubMirror();
    failAdminOperation("AfterglowTagsAdd", { status: 500, times: Infinity });
    await enqueue(shop, [tagsAdd("42", "afterglow-tier-gold")]);

    let now = T0;
    const delays: number[] = [];
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
      expect(await deliverDueOutbox({ now })).toEqual({ delivered: 0, retried: 1, failed: 0 });
      const next = (await row(shop)).nextAttemptAt;
      delays.push(next.getTime() - now.getTime());
      now = next;
    }
    expect(await deliverDueOutbox({ now })).toEqual({ delivered: 0, retried: 0, failed: 1 });

    expect(adminCalls).toHaveLength(MAX_ATTEMPTS);
    expect(await row(shop)).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, lastError: "tagsAdd: HTTP 500 Internal Server Error" });
    delays.forEach((delay, i) => {
      const base = 30 * SECOND * 2 ** i;
      expect(delay).toBeGreaterThanOrEqual(base);
      expect(delay).toBeLessThanOrEqual(base * 1.1);
    });
    expect(retryDelayMs(20, () => 0)).toBe(6 * 3600 * SECOND);
    expect(await outboxSummary(shop)).toMatchObject({ failed: 1, recentFailures: [expect.objectContaining({ attempts: MAX_ATTEMPTS })] });
  });

  it("an uninstalled shop's messages are marked failed with the reason, without calling Shopify", async () => {
    const shop = await newShop();
    stubMirror();
    await saveShopProfile(shop, { name: "Gone Shop", currency: "USD", timezone: "UTC", domain: null });
    await markShopUninstalled(shop, T0);
    await enqueue(shop, [tagsAdd("42", "afterglow-tier-silver"), status("42", 300)]);

    expect(await deliverDueOutbox({ now: at(SECOND) })).toEqual({ delivered: 0, retried: 0, failed: 2 });
    expect(adminCalls).toHaveLength(0);
    expect((await listOutbox(shop)).map((r) => [r.status, r.lastError])).toEqual([
      ["failed", "shop uninstalled"],
      ["failed", "shop uninstalled"],
    ]);
    expect(await outboxSummary(shop)).toMatchObject({ pending: 0, failed: 2 });
  });

  it("a shop without an offline session is retried, not lost", async () => {
    const shop = "never-opened.myshopify.com"; // installed, but the app was never opened: no session yet
    await enqueue(shop, [tagsAdd("42", "afterglow-tier-silver")]);
    expect(await deliverDueOutbox({ now: T0 })).toEqual({ delivered: 0, retried: 1, failed: 0 });
    expect(await row(shop)).toMatchObject({ status: "pending", attempts: 1, lastError: "tagsAdd: no offline session for the shop" });
    expect(adminCalls).toHaveLength(0);
  });
});

describe("outbox: shop scoping", () => {
  it("shop A's calls never read or change shop B's messages", async () => {
    const shopA = await newShop();
    const shopB = await newShop();
    await enqueue(shopA, [tagsAdd("1", "afterglow-tier-silver")]);
    await enqueue(shopB, [tagsAdd("1", "afterglow-tier-gold"), status("1", 50)]);
    const [b1, b2] = await listOutbox(shopB);
    if (!b1 || !b2) throw new Error("shop B rows missing");

    // A claim as shop A finds shop A's message only (and hands it back).
    const claimedByA = await claimDueMessages(shopA, T0, at(60 * SECOND), 10);
    expect(claimedByA.map((m) => m.variables)).toEqual([tagVariables("1", "afterglow-tier-silver")]);
    await releaseClaimedMessages(shopA, claimedByA.map((m) => m.id), at(60 * SECOND), T0);
    // and cannot push shop B's messages back (they would not go out at T0 below).
    await releaseClaimedMessages(shopA, [b1.id, b2.id], T0, at(3600 * SECOND));
    expect(await markDelivered(shopA, b1.id, T0)).toBe(false);
    await scheduleRetry(shopA, b1.id, 5, at(3600 * SECOND), "x");
    expect(await markFailed(shopA, b2.id, 1, "x", T0)).toBe(false);
    expect(await retryFailedMessage(shopA, b1.id, T0)).toBe(false);
    expect(await outboxSummary(shopA)).toMatchObject({ pending: 1, delivered: 0, failed: 0 });
    expect(await outboxSummary(shopB)).toMatchObject({ pending: 2, delivered: 0, failed: 0 });
    expect(await listOutbox(shopB)).toEqual([b1, b2]);

    // AND delivery sends each shop's calls to that shop only
    stubMirror();
    expect(await deliverDueOutbox({ now: T0 })).toEqual({ delivered: 3, retried: 0, failed: 0 });
    expect(adminCalls.map((c) => [c.shop, c.operation, c.variables])).toEqual(
      expect.arrayContaining([
        [shopA, "AfterglowTagsAdd", tagVariables("1", "afterglow-tier-silver")],
        [shopB, "AfterglowTagsAdd", tagVariables("1", "afterglow-tier-gold")],
        [shopB, "AfterglowMetafieldsSet", status("1", 50).variables],
      ]),
    );
    expect(adminCalls).toHaveLength(3);
  });
});

describe("outbox: the worker's scan for shops with work", () => {
  it("lists the shops whose oldest pending message is due: a claim finds nothing in the others", async () => {
    const [due, waiting, delivered, dueThenWaiting] = [await newShop(), await newShop(), await newShop(), await newShop()];
    await enqueue(due, [tagsAdd("1", "afterglow-tier-silver")]);
    // Its oldest message waits for a retry an hour away; a later one is due, but must not overtake it.
    await enqueue(waiting, [tagsAdd("1", "afterglow-tier-silver"), tagsAdd("2", "afterglow-tier-gold")]);
    await scheduleRetry(waiting, (await row(waiting, 0)).id, 1, at(3600 * SECOND), "x");
    await enqueue(delivered, [tagsAdd("1", "afterglow-tier-silver")]);
    expect(await markDelivered(delivered, (await row(delivered, 0)).id, T0)).toBe(true);
    await enqueue(dueThenWaiting, [tagsAdd("1", "afterglow-tier-silver"), tagsAdd("2", "afterglow-tier-gold")]);
    await scheduleRetry(dueThenWaiting, (await row(dueThenWaiting, 1)).id, 1, at(3600 * SECOND), "x");

    expect(await shopsWithDueMessages(T0)).toEqual([due, dueThenWaiting].sort());
    expect(await claimDueMessages(waiting, T0, at(60 * SECOND), 10)).toEqual([]);
    // An hour later the waiting shop's oldest is due too; the delivered shop never has work.
    expect(await shopsWithDueMessages(at(3600 * SECOND))).toEqual([due, waiting, dueThenWaiting].sort());
  });
});

describe("outbox: survives restarts", () => {
  it("messages live in the database: a fresh module instance delivers what an earlier one queued", async () => {
    const shop = await newShop();
    stubMirror();
    await enqueue(shop, [tagsAdd("42", "afterglow-tier-gold"), status("42", 1200, "Gold")]);

    // WHEN the process "restarts": the service is loaded anew, nothing kept from before but the database
    vi.resetModules();
    const fresh = await import("~/services/outbox.server");
    expect(await fresh.deliverDueOutbox({ now: at(SECOND) })).toEqual({ delivered: 2, retried: 0, failed: 0 });
    expect(adminCalls.map((c) => c.operation)).toEqual(["AfterglowTagsAdd", "AfterglowMetafieldsSet"]);
  });

  it("a worker that died mid-call leaves its message claimed; it is delivered once the claim expires", async () => {
    const shop = await newShop();
    stubMirror();
    await enqueue(shop, [tagsAdd("42", "afterglow-tier-gold"), tagsAdd("43", "afterglow-tier-gold")]);
    const [first] = await listOutbox(shop);
    if (!first) throw new Error("row missing");
    // GIVEN a worker claimed the first message, then the process died before recording the outcome
    expect((await claimDueMessages(shop, T0, at(300 * SECOND), 1)).map((m) => m.id)).toEqual([first.id]);

    // THEN no other run sends it (or overtakes it) while the claim holds
    expect(await deliverDueOutbox({ now: at(SECOND) })).toEqual({ delivered: 0, retried: 0, failed: 0 });
    expect(adminCalls).toHaveLength(0);
    // AND after it expires both go out, in order
    expect(await deliverDueOutbox({ now: at(300 * SECOND) })).toEqual({ delivered: 2, retried: 0, failed: 0 });
    expect(adminCalls.map((c) => c.variables)).toEqual([tagVariables("42", "afterglow-tier-gold"), tagVariables("43", "afterglow-tier-gold")]);
  });

  it("the background worker delivers on its own and stops when asked", async () => {
    const shop = await newShop();
    stubMirror();
    await enqueue(shop, [tagsAdd("42", "afterglow-tier-silver")], new Date());
    const stop = startOutboxWorker(20);
    try {
      await vi.waitFor(async () => expect((await row(shop)).status).toBe("delivered"), { timeout: 5000, interval: 20 });
    } finally {
      stop();
    }
    await enqueue(shop, [tagsAdd("43", "afterglow-tier-silver")], new Date());
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await row(shop, 1)).status).toBe("pending");
    expect(adminCalls).toHaveLength(1);
  });
});

describe("outbox: demo recorder", () => {
  it("answers the three mirror documents, so the demo's outbox drains, metered like a standard plan's bucket", async () => {
    // Each answer reports the bucket (2,000 points, 100/s) after the call's 10 points; time passes between calls.
    const bucket = { maximumAvailable: 2000, currentlyAvailable: expect.any(Number), restoreRate: 100 };
    const first = await runOutboxOperation(recordingGraphql, "tagsAdd", tagVariables("1", "afterglow-tier-silver"));
    expect(first).toEqual(bucket);
    expect(first!.currentlyAvailable).toBeLessThanOrEqual(1990);
    await expect(runOutboxOperation(recordingGraphql, "tagsRemove", tagVariables("1", "afterglow-tier-bronze"))).resolves.toEqual(bucket);
    await expect(runOutboxOperation(recordingGraphql, "metafieldsSet", status("1", 5).variables)).resolves.toEqual(bucket);
  });
});
