import { prisma } from "~/db.server";
import { enqueueOutboxMany, markDeliveredGroup, type OutboxEnqueue, type OutboxOperation } from "~/models/outbox.server";
import { inTransaction, type SqlTx } from "~/models/transaction.server";
import { tagVariables } from "~/shopify/customer-mirror.server";

/** Queues one message, as the app's writers do (through `enqueueOutboxMany`). */
export function enqueueOutbox(tx: SqlTx, shop: string, message: OutboxEnqueue, now: Date): Promise<void> {
  return enqueueOutboxMany(tx, shop, [message], now);
}

/** The first customer `enqueueTagMessages` tags; the i-th message tags this id + i. */
export const FIRST_TAGGED_CUSTOMER = 7_000_000_000_000;

/** `count` tagsAdd messages of the gold tier (customers FIRST_TAGGED_CUSTOMER + 0, 1, …, in id order), queued at `now` in one transaction. */
export async function enqueueTagMessages(shop: string, count: number, now: Date): Promise<void> {
  const messages: OutboxEnqueue[] = Array.from({ length: count }, (_, i) => ({
    operation: "tagsAdd",
    variables: tagVariables(String(FIRST_TAGGED_CUSTOMER + i), "afterglow-tier-gold"),
  }));
  await inTransaction(async (tx) => {
    for (const message of messages) await enqueueOutbox(tx, shop, message, now);
  });
}

/** Every outbox message of the shop, oldest first, with its variables parsed. */
export async function listOutbox(shop: string) {
  const rows = await prisma.outboxMessage.findMany({ where: { shop }, orderBy: { id: "asc" } });
  return rows.map((r) => ({
    ...r,
    operation: r.operation as OutboxOperation,
    status: r.status as "pending" | "delivered" | "failed",
    variables: JSON.parse(r.variables) as Record<string, unknown>,
  }));
}

/** `markDeliveredGroup` for one message (as the outbox marks a call's messages): false when it was not marked. */
export async function markDelivered(shop: string, id: number, now: Date, sent?: Record<string, unknown>): Promise<boolean> {
  return (await markDeliveredGroup(shop, [{ id, variables: sent }], now)).has(id);
}
