import type { Prisma } from "@prisma/client";
import pg from "pg";
import { connectRaw, prisma, sqlOn, type SqlClient } from "~/db.server";
import { isLockConflict } from "./sql-errors";

export type Tx = Prisma.TransactionClient;
/** A transaction the hot-path models can use: raw tagged-template queries only (a Prisma transaction's, or `sqlOn` on a pool connection). */
export type SqlTx = SqlClient;

/** Runs `work` in one database transaction: every write in it commits together or not at all. */
export function inTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(work);
}

/**
 * `inTransaction` for work written in raw tagged-template SQL only (`SqlTx`), run on a pool connection with
 * node-postgres: its statements are named prepared statements and skip Prisma's query compiler and interpreter, which
 * cost more than the statements themselves on a hot path (the reward redemption: docs/decisions/052-database-connections.md).
 */
export async function inSqlTransaction<T>(work: (tx: SqlTx) => Promise<T>): Promise<T> {
  const connection = await connectRaw();
  let broken: Error | undefined;
  try {
    const tx = sqlOn(connection);
    // BEGIN travels with the transaction's first statement.
    await sendAhead(tx, () => connection.query("BEGIN"));
    try {
      const result = await work(tx);
      await commit(connection, tx);
      return result;
    } catch (error) {
      await dropAhead(tx);
      // A connection that cannot roll back is closed by the pool rather than handed to the next caller mid-transaction.
      await connection.query("ROLLBACK").then(undefined, (rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    }
  } finally {
    connection.release(broken);
  }
}

/**
 * Sends the statement `write` makes (one statement, sent when `write` is called: nothing in it may come after an
 * await) without waiting for its answer when `tx` is a pipelined raw transaction: it travels with the next statement,
 * or with the COMMIT, and the first of them to be waited for reports its failure. Elsewhere (a Prisma transaction) it
 * is waited for here. For writes whose result the caller does not need (docs/decisions/053-pipelined-group-commit.md).
 */
export async function sendAhead(tx: SqlTx, write: () => PromiseLike<unknown>): Promise<void> {
  if (tx.$ahead) tx.$ahead(write);
  else await write();
}

/**
 * A read sent now (on a pipelined raw transaction) whose rows are wanted later: returns how to get them. Its failure
 * fails the transaction even if they are never asked for. Elsewhere, the read is made when its rows are asked for.
 */
export function readAhead<T>(tx: SqlTx, read: () => PromiseLike<T>): () => PromiseLike<T> {
  if (!tx.$ahead) return read;
  const sent = tx.$ahead(read);
  return () => sent;
}

/** Sends COMMIT behind the statements still ahead of it; a failure among them (the COMMIT then rolls back) is reported. */
async function commit(connection: pg.PoolClient, tx: SqlTx): Promise<void> {
  const committing = connection.query("COMMIT");
  try {
    await tx.$settle?.();
  } catch (error) {
    committing.catch(() => {});
    throw error;
  }
  await committing;
}

/** Forgets the statements still ahead after a failure (the transaction or savepoint is rolled back anyway). */
async function dropAhead(tx: SqlTx): Promise<void> {
  await tx.$settle?.().catch(() => {});
}

/**
 * `inTransaction`, run again (from the start, in a new transaction) when PostgreSQL rolled it back as a deadlock victim
 * (40P01) or for a serialization conflict (40001), up to three times in all: for background work that locks
 * many rows while webhooks lock a few of them.
 */
export function inTransactionRetrying<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return retryingLockConflicts(() => inTransaction(work));
}

/**
 * `inSqlTransaction`, run again like `inTransactionRetrying`: for background work over many rows. Unlike Prisma's
 * interactive transactions, which end after 5 s, a raw transaction has no client-side time limit: a statement over
 * every customer of a large shop (the recompute's facts refresh over 200,000 customers) takes as long as it takes.
 */
export function inSqlTransactionRetrying<T>(work: (tx: SqlTx) => Promise<T>): Promise<T> {
  return retryingLockConflicts(() => inSqlTransaction(work));
}

async function retryingLockConflicts<T>(transaction: () => Promise<T>): Promise<T> {
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (attempt >= attempts || !isLockConflict(error)) throw error;
    }
  }
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };
interface GroupJob<I> {
  item: I;
  /** The shop whose rows the piece writes: its group takes the shop's group lock first (see createGroupCommit). */
  shop: string | undefined;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** Times this piece was rolled back by a deadlock or serialization failure and queued again. */
  retries: number;
}

/**
 * The most pieces one group takes; the rest wait for the next. Only a backlog reaches it: webhooks at the budget rate
 * make groups of a few, the historical import keeps 256 orders in flight. A group's statements cost per piece with a
 * fixed part (BEGIN and the locks, the claims, the rollups, the commit's flush): with 64 a group, a 100,000-order
 * import applied 1,146–1,241 orders/s in the harness, with 256, 1,309–1,499/s.
 */
const MAX_GROUP = 256;

/** A piece that lost a deadlock (40P01) or a serialization conflict (40001) is run again in a later group, this often. */
const MAX_RETRIES = 3;


/**
 * The statement that opens a group's transaction and takes the group lock of every shop its pieces write, in one
 * order (by shop) in every process, so that two groups of one shop (two app instances) run one after the other
 * instead of taking the shop's rows (its daily rollup rows above all) in opposite orders and deadlocking. Shops are
 * sent as literals: a simple-protocol message holding BEGIN and the locks is one round trip.
 */
export function groupBegin(shops: Iterable<string | undefined>, options: GroupOptions = {}): string {
  const named = [...new Set([...shops].filter((shop): shop is string => shop !== undefined))].sort();
  // One statement per lock: statements of one message run in order, so every process takes them in this order.
  const locks = named.map((shop) => `SELECT pg_advisory_xact_lock(hashtextextended(${pg.escapeLiteral(`group writes ${shop}`)}, 0))`);
  const plans = options.keyedPlans ? KEYED_PLAN_SETTINGS.map((setting) => `SET LOCAL ${setting}`) : [];
  return ["BEGIN", ...plans, ...locks].join("; ");
}

/**
 * The settings of a group with `keyedPlans`: each statement's generic plan (made once per connection), and no
 * sequential scan where an index reaches the rows.
 */
const KEYED_PLAN_SETTINGS = ["plan_cache_mode = force_generic_plan", "enable_seqscan = off"];

/** How a group commit's transactions run. */
interface GroupOptions {
  /**
   * For pieces whose statements reach rows by key whatever the values (the ingest group's: the shop named through
   * `opaqueShop`, the orders and customers by their keys). Every statement of the group's transaction (its triggers'
   * included):
   * - runs on the generic plan of its prepared statement, made once per connection, instead of being planned again
   *   for each group's values: the plan for the values could not be better, and PostgreSQL kept planning the ledger
   *   and pending-facts statements anew on every group, a fifth of the database's time per order in the benchmark
   *   (docs/decisions/055-generic-plans-for-the-ingest-group.md);
   * - reads through an index rather than the whole table. A generic plan made while a young table is small (a new
   *   database, a new install) finds a sequential scan cheapest and is kept until the next ANALYZE, while the table
   *   grows by thousands of rows a minute (docs/decisions/057-plans-for-young-tables.md).
   */
  keyedPlans?: boolean;
}

/**
 * Group commit (docs/decisions/012-webhook-hot-path.md): work submitted while a transaction is being written waits
 * and then shares the next one, each piece in its own savepoint. A piece that throws is rolled back alone and its
 * caller gets the error; the others commit. Every caller's promise settles only after the transaction holding its
 * work has committed (or failed as a whole, and then every caller gets the error). Under light load a group is one
 * piece; under a burst, one commit serves many.
 *
 * On PostgreSQL each statement is a round trip, so the bookkeeping is kept to the minimum: a group runs first without
 * savepoints (BEGIN, the pieces back to back, COMMIT). Only when one of its pieces fails is the whole transaction
 * rolled back and the group run again with a savepoint per piece: set together with BEGIN, moved past each piece that
 * succeeded together with its RELEASE (one simple-protocol message holding two statements), rolled back to for a
 * piece that fails (the savepoint stays, for the next piece). A piece may therefore run more than once: it must have
 * no effect outside the transaction (and return what the run that committed computed). A group holds the locks its pieces
 * took until it commits, so two groups (two app instances) can deadlock: the piece PostgreSQL picks as the victim
 * (or one failing a serialization check) is rolled back to its savepoint, releasing its locks, and queued again for a
 * later group, up to MAX_RETRIES times, instead of failing its delivery. Pieces that name their shop avoid most of
 * those: a group first takes the group lock of each of its shops (`groupBegin`), so groups writing one shop never
 * overlap, whichever instance runs them.
 */
export function createGroupCommit() {
  const run = createBatchGroupCommit(async (tx, works: ((tx: SqlTx) => Promise<unknown>)[]) => {
    const values: unknown[] = [];
    for (const work of works) values.push(await work(tx));
    return values;
  });
  return <T>(work: (tx: SqlTx) => Promise<T>, shop?: string): Promise<T> => run(work, shop) as Promise<T>;
}

/**
 * `createGroupCommit` for pieces that are applied together: `applyBatch` receives the items of a group at once (on the
 * group's transaction) and returns one result per item, in order, so a group can cost a fixed number of statements
 * instead of a few per piece. When it throws, the group is run again with a savepoint per item, each item alone
 * (`applyBatch` with one item), so that only the failing item fails. `applyBatch` must have the same effect as
 * applying its items one after the other.
 */
export function createBatchGroupCommit<I, R>(applyBatch: (tx: SqlTx, items: I[]) => Promise<R[]>, options: GroupOptions = {}) {
  const queue: GroupJob<I>[] = [];
  let scheduled = false;

  type GroupOutcome = { settled: Settled[]; again: GroupJob<I>[] } | { restart: true };

  /**
   * One transaction for the group. Without `savepoints`, the pieces are applied together (`applyBatch`);
   * if one fails, the whole transaction is rolled back and `restart` asks for the group to be run again with them.
   */
  async function runGroup(group: GroupJob<I>[], savepoints: boolean): Promise<GroupOutcome> {
    const settled: Settled[] = [];
    const again: GroupJob<I>[] = [];
    const connection = await connectRaw();
    let broken: Error | undefined;
    try {
      const tx = sqlOn(connection);
      const single = group.length === 1;
      const guarded = savepoints && !single;
      const begin = groupBegin(
        group.map((job) => job.shop),
        options,
      );
      // Sent ahead: the group's first statement travels with it (a failed lock aborts the transaction, so nothing
      // behind it can run outside it).
      await sendAhead(tx, () => connection.query(guarded ? `${begin}; SAVEPOINT group_piece` : begin));
      try {
        if (!guarded) {
          // Back to back: the whole group in one call (one item when the group is one piece).
          const values = await applyBatch(
            tx,
            group.map((job) => job.item),
          );
          if (values.length !== group.length) throw new Error("group commit: one result per item expected");
          for (const value of values) settled.push({ ok: true, value });
        } else {
          for (const [i, job] of group.entries()) {
            try {
              const [value] = await applyBatch(tx, [job.item]);
              // The piece's writes sent ahead are its own: their failure is this piece's.
              await tx.$settle?.();
              settled.push({ ok: true, value });
              if (i < group.length - 1) await connection.query("RELEASE group_piece; SAVEPOINT group_piece");
            } catch (error) {
              await dropAhead(tx);
              await connection.query("ROLLBACK TO group_piece");
              if (isLockConflict(error) && job.retries < MAX_RETRIES) {
                job.retries += 1;
                again.push(job);
                settled.push({ ok: false, error: undefined });
              } else {
                settled.push({ ok: false, error });
              }
            }
          }
        }
        await commit(connection, tx);
      } catch (error) {
        await dropAhead(tx);
        await connection.query("ROLLBACK").then(undefined, (rollbackError: Error) => {
          broken = rollbackError;
        });
        if (!single && !savepoints) return { restart: true };
        if (single && isLockConflict(error) && group[0]!.retries < MAX_RETRIES) {
          group[0]!.retries += 1;
          return { settled: [{ ok: false, error: undefined }], again: [group[0]!] };
        }
        throw error;
      }
    } finally {
      // A connection whose ROLLBACK failed is in an unknown state: the pool discards it.
      connection.release(broken);
    }
    return { settled, again };
  }

  async function flush() {
    while (queue.length) {
      const group = queue.splice(0, MAX_GROUP);
      let outcome: GroupOutcome;
      try {
        outcome = await runGroup(group, false);
        // A piece failed: run the group again, each piece in its own savepoint, so that only it fails.
        if ("restart" in outcome) outcome = await runGroup(group, true);
        if ("restart" in outcome) throw new Error("group commit: a guarded run asked to restart");
      } catch (error) {
        for (const job of group) job.reject(error);
        continue;
      }
      const again = new Set(outcome.again);
      group.forEach((job, i) => {
        if (again.has(job)) return;
        const result = outcome.settled[i]!;
        if (result.ok) job.resolve(result.value);
        else job.reject(result.error);
      });
      // Run again after the pieces that were not rolled back (their group committed above).
      queue.push(...outcome.again);
    }
    scheduled = false;
  }

  /** Applies `item` in the next group; `shop`: the shop whose rows it writes (its group takes that shop's group lock). */
  return function run(item: I, shop?: string): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      queue.push({
        item,
        shop,
        resolve: resolve as (value: unknown) => void,
        reject,
        retries: 0,
      });
      if (!scheduled) {
        scheduled = true;
        // Let the requests already being parsed join this group.
        setImmediate(() => void flush());
      }
    });
  };
}

/**
 * Runs `work` holding a PostgreSQL session-level advisory lock on `key`, on a pool connection of its own, outside any
 * transaction (for work that calls the Admin API or runs many transactions): `work` for one key runs in one process
 * at a time, across every app instance on the database. A process that dies releases the lock with its connection.
 */
export async function withSessionLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const connection = await connectRaw();
  let broken: Error | undefined;
  try {
    await connection.query("SELECT pg_advisory_lock(hashtextextended($1, 0))", [key]);
    try {
      return await work();
    } finally {
      await connection.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [key]).then(undefined, (error: Error) => {
        // A connection that could not unlock is closed by the pool, which ends its session and the lock with it.
        broken = error;
      });
    }
  } finally {
    connection.release(broken);
  }
}
