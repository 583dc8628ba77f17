import { expect } from "vitest";
import type { AdminStub } from "./admin-stub";

const OPERATION_NAMES: Record<string, string> = {
  tagsAdd: "AfterglowTagsAdd",
  tagsRemove: "AfterglowTagsRemove",
  metafieldsSet: "AfterglowMetafieldsSet",
};

/**
 * Successful Admin API calls against the outbox (rows with shop, operation, variables): each tag message once, no
 * metafield value sent more often than messages carrying it were queued (a value that a newer one replaced in its
 * message: at most once), and the last metafield sent per customer is the one the database holds.
 *
 * Two messages may carry the same variables: a customer's balance and tier can come back to a value they had (an
 * order's 25 points taken back by five 5-point refunds, a tier left and reached again), and each of those messages is
 * sent. So calls are counted against messages, never against each other.
 */
export function expectSentOnce(stub: AdminStub, messages: Record<string, unknown>[]) {
  const applied = stub.applied.map((c) => `${c.shop} ${c.operation} ${JSON.stringify(c.variables)}`);
  // Metafields, one entry per customer a call set (a call may carry several messages' metafields).
  const count = (entries: string[]) => entries.reduce((counts, e) => counts.set(e, (counts.get(e) ?? 0) + 1), new Map<string, number>());
  const metafieldEntries = (shop: string, variables: unknown) =>
    (variables as { metafields: unknown[] }).metafields.map((field) => `${shop} ${JSON.stringify(field)}`);
  const sentValues = count(
    stub.applied.filter((c) => c.operation === "AfterglowMetafieldsSet").flatMap((c) => metafieldEntries(c.shop, c.variables)),
  );
  const queuedValues = count(
    messages.filter((m) => m.operation === "metafieldsSet").flatMap((m) => metafieldEntries(String(m.shop), JSON.parse(String(m.variables)))),
  );
  // A value no stored message carries any more was sent by a message whose variables a newer change replaced while its
  // call was on its way (coalescing: `enqueueOutboxMany`); the delivery is then not recorded, and the message goes out
  // again with the newer value (`markDeliveredGroup`). Such a superseded value may have gone out once, never twice.
  const sentTooOften = [...sentValues].filter(([value, sent]) => sent > (queuedValues.get(value) ?? 1));
  expect(sentTooOften).toEqual([]);
  const tagMessages = messages
    .filter((m) => m.operation !== "metafieldsSet")
    .map((m) => `${String(m.shop)} ${OPERATION_NAMES[String(m.operation)]} ${String(m.variables)}`)
    .sort();
  expect(applied.filter((a) => !a.includes(" AfterglowMetafieldsSet ")).sort()).toEqual(tagMessages);
  // A customer's metafield can have several messages: a new one is queued once the previous one was delivered.
  // Messages run in id order per shop, so the last call sent for an owner carries the newest message's variables.
  const newestByOwner = new Map<string, Record<string, unknown>>();
  for (const m of messages.filter((m) => m.operation === "metafieldsSet")) {
    const owner = (JSON.parse(String(m.variables)) as { metafields: { ownerId: string }[] }).metafields[0]!.ownerId;
    newestByOwner.set(`${String(m.shop)} ${owner}`, m);
  }
  // A call may carry several customers' metafields (the outbox sends up to 25 per metafieldsSet).
  for (const [key, m] of newestByOwner) {
    const owner = key.slice(key.indexOf(" ") + 1);
    const sent = stub.applied
      .filter((c) => c.shop === m.shop && c.operation === "AfterglowMetafieldsSet")
      .flatMap((c) => (c.variables as { metafields: { ownerId: string }[] }).metafields.filter((f) => f.ownerId === owner));
    expect(JSON.stringify({ metafields: [sent.at(-1)] })).toBe(String(m.variables));
  }
}

/**
 * Each customer's tag calls reached Shopify in the order their messages were queued (outbox rows with shop,
 * operation, variables, in id order): a tagsRemove never overtook the tagsAdd it undoes, whichever instance sent
 * them. A call repeated right after itself (sent, then the sender killed before it recorded the delivery, then sent
 * again by another instance once its lease ran out) counts once: tag calls are idempotent in Shopify, and nothing
 * else of that customer may go out in between.
 */
export function expectSentInOrder(stub: AdminStub, messages: Record<string, unknown>[]) {
  const sequences = (calls: { shop: string; operation: string; variables: unknown }[]) => {
    const byCustomer = new Map<string, string[]>();
    for (const call of calls) {
      const variables = call.variables as { id?: string; tags?: string[] };
      if (typeof variables.id !== "string") continue;
      const key = `${call.shop} ${variables.id}`;
      const list = byCustomer.get(key) ?? [];
      const entry = `${call.operation} ${JSON.stringify(variables.tags)}`;
      if (list.at(-1) !== entry) list.push(entry);
      byCustomer.set(key, list);
    }
    return Object.fromEntries([...byCustomer].sort(([a], [b]) => (a < b ? -1 : 1)));
  };
  const queued = messages
    .filter((m) => m.operation !== "metafieldsSet")
    .map((m) => ({ shop: String(m.shop), operation: OPERATION_NAMES[String(m.operation)]!, variables: JSON.parse(String(m.variables)) as unknown }));
  const sent = stub.applied.filter((c) => c.operation !== "AfterglowMetafieldsSet");
  expect(sequences(sent)).toEqual(sequences(queued));
}
