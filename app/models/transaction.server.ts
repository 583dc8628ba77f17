import type { Prisma } from "@prisma/client";
import { connectRaw, prisma, sqlOn, type SqlClient } from "~/db.server";

export type Tx = Prisma.TransactionClient;
/** A transaction the hot-path models can use: raw tagged-template queries only (Prisma's or `rawSql`'s). */
export type SqlTx = SqlClient;

/** Runs `work` in one database transaction: every write in it commits together or not at all. */
export function inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(work);
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };
interface GroupJob {
  work: (tx: SqlTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit (docs/decisions/012-webhook-hot-path.md): work submitted while a transaction is being written waits
 * and then shares the next one, each piece in its own savepoint. A piece that throws is rolled back alone and its
 * caller gets the error; the others commit. Every caller's promise settles only after the transaction holding its
 * work has committed (or failed as a whole, and then every caller gets the error). Under light load a group is one
 * piece; under a burst, one commit serves many.
 */
export function createGroupCommit(maxGroup = 64) {
  const queue: GroupJob[] = [];
  let scheduled = false;

  async function flush() {
    while (queue.length) {
      const group = queue.splice(0, maxGroup);
      const settled: Settled[] = [];
      try {
        const connection = await connectRaw();
        try {
          const tx = sqlOn(connection);
          await tx.$executeRaw`BEGIN`;
          try {
            for (const job of group) {
              await tx.$executeRaw`SAVEPOINT group_piece`;
              try {
                settled.push({ ok: true, value: await job.work(tx) });
                await tx.$executeRaw`RELEASE group_piece`;
              } catch (error) {
                await tx.$executeRaw`ROLLBACK TO group_piece`;
                await tx.$executeRaw`RELEASE group_piece`;
                settled.push({ ok: false, error });
              }
            }
            await tx.$executeRaw`COMMIT`;
          } catch (error) {
            await tx.$executeRaw`ROLLBACK`.then(undefined, () => {});
            throw error;
          }
        } finally {
          connection.release();
        }
      } catch (error) {
        for (const job of group) job.reject(error);
        continue;
      }
      group.forEach((job, i) => {
        const outcome = settled[i]!;
        if (outcome.ok) job.resolve(outcome.value);
        else job.reject(outcome.error);
      });
    }
    scheduled = false;
  }

  return function run<T>(work: (tx: SqlTx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!scheduled) {
        scheduled = true;
        // Let the requests already being parsed join this group.
        setImmediate(() => void flush());
      }
    });
  };
}
