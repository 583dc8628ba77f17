import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";

export type Tx = Prisma.TransactionClient;

/** Runs `work` in one SQLite transaction: every write in it commits together or not at all. */
export function inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(work);
}
