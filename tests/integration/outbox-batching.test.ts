import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { type OutboxEnqueue } from "~/models/outbox.server";
import { enqueueOutbox, listOutbox } from "../support/outbox";
import { inTransaction } from "~/models/transaction.server";
import { deliverDueOutbox } from "~/services/outbox.server";
import { loyaltyMetafieldVariables, METAFIELDS_SET_MUTATION, tagVariables } from "~/shopify/customer-mirror.server";
import { adminCalls, failAdminOperation, meterAdminApi, stubAdminOperation } from "../support/admin-api";
import { allowConsoleError } from "../support/console";
import { installNewShop } from "../support/sessions";

/**
 * metafieldsSet carries up to 25 metafields (of different customers) per call, for the cost of one mutation: the
 * outbox sends a run of queued loyalty metafields together, in id order, and keeps every other message's place.
 */
const T0 = new Date("2026-12-03T10:00:00.000Z");
const gid = (customer: number) => `gid://shopify/Customer/${customer}`;

const newShop = () => installNewShop("batching");

const status = (customer: number, points: number): OutboxEnqueue => ({
  operation: "metafieldsSet",
  variables: loyaltyMetafieldVariables(String(customer), { tierName: "Gold", tierSlug: "gold", points }),
  coalesceKey: `loyalty-status:${customer}`,
});
const tags = (operation: "tagsAdd" | "tagsRemove", customer: number): OutboxEnqueue => ({
  operation,
  variables: tagVariables(String(customer), "afterglow-tier-gold"),
});
const metafieldOf = (customer: number, points: number) => loyaltyMetafieldVariables(String(customer), { tierName: "Gold", tierSlug: "gold", points }).metafields[0];

async function enqueue(shop: string, messages: OutboxEnqueue[]) {
  await inTransaction(async (tx) => {
    for (const message of messages) await enqueueOutbox(tx, shop, message, T0);
  });
}

function stubMirror() {
  stubAdminOperation("AfterglowTagsAdd", () => ({ tagsAdd: { userErrors: [] } }));
  stubAdminOperation("AfterglowTagsRemove", () => ({ tagsRemove: { userErrors: [] } }));
  stubAdminOperation("AfterglowMetafieldsSet", (call) => ({
    metafieldsSet: { metafields: (call.variables?.metafields as unknown[]).map((_, i) => ({ id: `gid://shopify/Metafield/${i}` })), userErrors: [] },
  }));
}

afterEach(async () => {
  await prisma.outboxMessage.deleteMany();
});

describe("outbox: metafieldsSet in batches of 25", () => {
  it("sends 60 customers' metafields in three calls (25, 25, 10), in id order, for 30 points instead of 600", async () => {
    const shop = await newShop();
    stubMirror();
    let now = 0;
    meterAdminApi("standard", () => now);
    await enqueue(shop, Array.from({ length: 60 }, (_, i) => status(1000 + i, i)));

    const report = await deliverDueOutbox({ now: T0, batch: 100, clock: () => now, sleep: async (ms) => void (now += ms) });

    expect(report).toEqual({ delivered: 60, retried: 0, failed: 0 });
    expect(adminCalls.map((c) => [c.operation, c.query])).toEqual(Array.from({ length: 3 }, () => ["AfterglowMetafieldsSet", METAFIELDS_SET_MUTATION]));
    expect(adminCalls.map((c) => c.variables)).toEqual([
      { metafields: Array.from({ length: 25 }, (_, i) => metafieldOf(1000 + i, i)) },
      { metafields: Array.from({ length: 25 }, (_, i) => metafieldOf(1025 + i, 25 + i)) },
      { metafields: Array.from({ length: 10 }, (_, i) => metafieldOf(1050 + i, 50 + i)) },
    ]);
    expect((await listOutbox(shop)).every((m) => m.status === "delivered" && m.attempts === 1)).toBe(true);
  });

  it("keeps every other message in its place: only consecutive metafields go together", async () => {
    const shop = await newShop();
    stubMirror();
    await enqueue(shop, [tags("tagsAdd", 1), status(1, 10), status(2, 20), tags("tagsRemove", 3), status(3, 30)]);

    const report = await deliverDueOutbox({ now: T0 });

    expect(report).toEqual({ delivered: 5, retried: 0, failed: 0 });
    expect(adminCalls.map((c) => [c.operation, c.variables])).toEqual([
      ["AfterglowTagsAdd", { id: gid(1), tags: ["afterglow-tier-gold"] }],
      ["AfterglowMetafieldsSet", { metafields: [metafieldOf(1, 10), metafieldOf(2, 20)] }],
      ["AfterglowTagsRemove", { id: gid(3), tags: ["afterglow-tier-gold"] }],
      ["AfterglowMetafieldsSet", { metafields: [metafieldOf(3, 30)] }],
    ]);
  });

  it("a refusal naming one metafield fails that customer's message alone; the others go again in the same run", async () => {
    allowConsoleError(); // a permanent failure is logged as an error on purpose
    const shop = await newShop();
    let refusedOnce = false;
    stubAdminOperation("AfterglowMetafieldsSet", (call) => {
      const metafields = call.variables?.metafields as { ownerId: string }[];
      const bad = metafields.findIndex((m) => m.ownerId === gid(3));
      if (bad >= 0) {
        refusedOnce = true;
        // Atomic, as Shopify's metafieldsSet: nothing is set when one metafield is refused.
        return { metafieldsSet: { metafields: null, userErrors: [{ field: ["metafields", String(bad), "value"], message: "Value is invalid", code: "INVALID_VALUE", elementIndex: bad }] } };
      }
      return { metafieldsSet: { metafields: metafields.map((_, i) => ({ id: `gid://shopify/Metafield/${i}` })), userErrors: [] } };
    });
    await enqueue(shop, [status(1, 10), status(2, 20), status(3, 30), status(4, 40)]);

    const report = await deliverDueOutbox({ now: T0 });

    expect(refusedOnce).toBe(true);
    expect(report).toEqual({ delivered: 3, retried: 0, failed: 1 });
    expect(adminCalls.map((c) => c.variables)).toEqual([
      { metafields: [metafieldOf(1, 10), metafieldOf(2, 20), metafieldOf(3, 30), metafieldOf(4, 40)] },
      { metafields: [metafieldOf(1, 10), metafieldOf(2, 20), metafieldOf(4, 40)] },
    ]);
    const rows = await listOutbox(shop);
    const failed = rows.filter((m) => m.status === "failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]!.variables).toEqual(status(3, 30).variables);
    expect(failed[0]).toMatchObject({ attempts: 1, lastError: "metafieldsSet: userErrors: INVALID_VALUE metafields.2.value Value is invalid" });
    expect(rows.filter((m) => m.status === "delivered")).toHaveLength(3);
  });

  it("two refused metafields each fail with their own error only", async () => {
    allowConsoleError(); // a permanent failure is logged as an error on purpose
    const shop = await newShop();
    stubAdminOperation("AfterglowMetafieldsSet", (call) => {
      const metafields = call.variables?.metafields as { ownerId: string }[];
      const errors = metafields.flatMap((m, i) =>
        m.ownerId === gid(1) ? [{ field: ["metafields", String(i), "value"], message: "Value is too long", code: "TOO_LONG", elementIndex: i }]
        : m.ownerId === gid(3) ? [{ field: ["metafields", String(i), "type"], message: "Type is invalid", code: "INVALID_TYPE", elementIndex: i }]
        : [],
      );
      return { metafieldsSet: { metafields: errors.length ? null : metafields.map((_, i) => ({ id: `gid://shopify/Metafield/${i}` })), userErrors: errors } };
    });
    await enqueue(shop, [status(1, 10), status(2, 20), status(3, 30)]);

    expect(await deliverDueOutbox({ now: T0 })).toEqual({ delivered: 1, retried: 0, failed: 2 });
    expect((await listOutbox(shop)).map((m) => [m.status, m.lastError])).toEqual([
      ["failed", "metafieldsSet: userErrors: TOO_LONG metafields.0.value Value is too long"],
      ["delivered", null],
      ["failed", "metafieldsSet: userErrors: INVALID_TYPE metafields.2.type Type is invalid"],
    ]);
  });

  it("a metafield coalesced with newer values while its batch was being sent stays due; the others are delivered", async () => {
    const shop = await newShop();
    let calls = 0;
    stubAdminOperation("AfterglowMetafieldsSet", async (call) => {
      calls += 1;
      // During the first call, an event queues newer values for customer 2 (coalesced into its pending message).
      if (calls === 1) await enqueue(shop, [status(2, 99)]);
      const metafields = call.variables?.metafields as unknown[];
      return { metafieldsSet: { metafields: metafields.map((_, i) => ({ id: `gid://shopify/Metafield/${i}` })), userErrors: [] } };
    });
    stubAdminOperation("AfterglowTagsAdd", () => ({ tagsAdd: { userErrors: [] } }));
    await enqueue(shop, [status(1, 10), status(2, 20), status(3, 30), tags("tagsAdd", 2)]);

    // The run stops there: the shop's later messages wait behind the one that is due again (id order).
    expect(await deliverDueOutbox({ now: T0 })).toEqual({ delivered: 2, retried: 0, failed: 0 });
    expect((await listOutbox(shop)).map((m) => m.status)).toEqual(["delivered", "pending", "delivered", "pending"]);
    expect(adminCalls).toHaveLength(1);
    // The next run sends customer 2's newest values, then the tag.
    expect(await deliverDueOutbox({ now: T0 })).toEqual({ delivered: 2, retried: 0, failed: 0 });
    expect(adminCalls.slice(1).map((c) => c.variables)).toEqual([{ metafields: [metafieldOf(2, 99)] }, { id: gid(2), tags: ["afterglow-tier-gold"] }]);
  });

  it("a refusal that names no metafield sends each message alone to find the refused one", async () => {
    allowConsoleError(); // a permanent failure is logged as an error on purpose
    const shop = await newShop();
    stubAdminOperation("AfterglowMetafieldsSet", (call) => {
      const metafields = call.variables?.metafields as { ownerId: string }[];
      if (metafields.some((m) => m.ownerId === gid(2))) return { metafieldsSet: { metafields: null, userErrors: [{ field: null, message: "Owner not found", code: null }] } };
      return { metafieldsSet: { metafields: metafields.map((_, i) => ({ id: `gid://shopify/Metafield/${i}` })), userErrors: [] } };
    });
    await enqueue(shop, [status(1, 10), status(2, 20), status(3, 30)]);

    const report = await deliverDueOutbox({ now: T0 });

    expect(report).toEqual({ delivered: 2, retried: 0, failed: 1 });
    expect(adminCalls.map((c) => (c.variables?.metafields as { ownerId: string }[]).map((m) => m.ownerId))).toEqual([
      [gid(1), gid(2), gid(3)],
      [gid(1)],
      [gid(2)],
      [gid(3)],
    ]);
    expect((await listOutbox(shop)).map((m) => m.status)).toEqual(["delivered", "failed", "delivered"]);
  });

  it("a throttled batch is retried whole, using no attempt, and the shop's later messages wait behind it", async () => {
    const shop = await newShop();
    stubMirror();
    failAdminOperation("AfterglowMetafieldsSet", {
      status: 200,
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
      extensions: { cost: { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 } } },
    });
    await enqueue(shop, [status(1, 10), status(2, 20), tags("tagsAdd", 3)]);

    const report = await deliverDueOutbox({ now: T0, clock: () => 0 }); // the run takes no time on its virtual clock

    expect(report).toEqual({ delivered: 0, retried: 2, failed: 0 });
    expect(adminCalls).toHaveLength(1);
    const rows = await listOutbox(shop);
    // Both metafields wait for the bucket (10 points at 100/s: at least a second), with no attempt used up.
    for (const row of rows.slice(0, 2)) {
      expect(row).toMatchObject({ status: "pending", attempts: 0, lastError: "metafieldsSet: GraphQL THROTTLED Throttled" });
      expect(row.nextAttemptAt.getTime()).toBe(T0.getTime() + 1000);
    }
    expect(rows[2]).toMatchObject({ status: "pending", attempts: 0, lastError: null });
  });
});
