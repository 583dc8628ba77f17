import type { Prisma } from "@prisma/client";
import { prisma, rawSql, type SqlClient } from "~/db.server";

export type Tx = Prisma.TransactionClient;
/** A transaction the hot-path models can use: raw tagged-template queries only (Prisma's or `rawSql`'s). */
export type SqlTx = SqlClient;

/** Runs `work` in one SQLite transaction: every write in it commits together or not at all. */
export function inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(work);
}

/**
 * Like `inTransaction`, but `work` talks to SQLite through prepared statements on the same connection instead of
 * Prisma's query engine: the webhook hot path (docs/decisions/012-webhook-hot-path.md). Prisma still opens,
 * commits or rolls back the transaction, and its lock keeps other transactions out meanwhile.
 */
export function inFastTransaction<T>(work: (tx: SqlTx) => Promise<T>): Promise<T> {
  return prisma.$transaction(() => work(rawSql()));
}
