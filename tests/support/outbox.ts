import { prisma } from "~/db.server";
import { enqueueOutboxMany, markDeliveredGroup, type OutboxEnqueue, type OutboxOperation } from "~/models/outbox.server";
import type { SqlTx } from "~/models/transaction.server";

/** Queues one message, as the app's writers do (through `enqueueOutboxMany`). */
export function enqueueOutbox(tx: SqlTx, shop: string, message: OutboxEnqueue, now: Date): Promise<void> {
  return enqueueOutboxMany(tx, shop, [message], now);
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
