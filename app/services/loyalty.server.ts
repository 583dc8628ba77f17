import { randomUUID } from "node:crypto";
import { PointsAdjustmentSchema } from "~/domain/loyalty/points";
import { validateProgram, type LoyaltyProgram } from "~/domain/loyalty/program";
import { errorName, log } from "~/logger.server";
import { refreshAllCustomerFacts } from "~/models/customer-facts.server";
import { createJob, finishJob, interruptedJobs, latestJob, updateJobProgress } from "~/models/jobs.server";
import { countCustomers, customerIdsPage, findCommittedProgram, lockCustomerStanding, storeProgram } from "~/models/loyalty.server";
import { inTransaction, inTransactionRetrying, withSessionTryLock } from "~/models/transaction.server";
import { bookAdjustment, programFor, programFrom, refreshStandingFrom, type LoyaltyCause } from "./loyalty-ledger.server";

/** The loyalty use cases behind the Loyalty and Customers pages, the recompute job and the daily sweep. */

/** Customers per transaction: small, so page loads and webhooks get the connection between batches. */
const BATCH = 50;

export async function getLoyaltyProgram(shop: string): Promise<{ program: LoyaltyProgram; version: number; isDefault: boolean }> {
  // One committed row, read without a transaction (the dashboard and customer pages ask on every load).
  return programFrom(await findCommittedProgram(shop));
}

/** Validates and saves the program, then recomputes every customer's tier in the background. */
export async function saveLoyaltyProgram(
  shop: string,
  input: unknown,
): Promise<{ ok: true; jobId: number } | { ok: false; errors: Record<string, string> }> {
  const checked = validateProgram(input);
  if (!checked.ok) return { ok: false, errors: checked.errors };
  await storeProgram(shop, checked.program);
  const job = await createJob(shop, "tier-recompute", await countCustomers(shop), new Date());
  // (a failure is logged and recorded on the job)
  void runRecomputeJob(shop, job.id).catch(() => undefined);
  return { ok: true, jobId: job.id };
}

export async function latestRecomputeJob(shop: string) {
  const job = await latestJob(shop, "tier-recompute");
  if (!job) return null;
  return {
    id: job.id,
    status: job.status as "running" | "done" | "failed",
    total: job.total,
    done: job.done,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}

/**
 * Re-evaluates every customer of the shop against the current program: facts in one SQL statement, then tiers a
 * batch per transaction, progress recorded after each batch. Safe to run again after a crash (it converges).
 */
export async function runTierRecompute(shop: string, jobId: number | null, cause: LoyaltyCause, now = new Date()) {
  try {
    // Locks every customer row of the shop: a webhook holding one of them may deadlock with it; then it runs again.
    await inTransactionRetrying((tx) => refreshAllCustomerFacts(tx, shop, now));
    let after: string | null = null;
    let done = 0;
    for (;;) {
      const ids = await customerIdsPage(shop, after, BATCH);
      if (!ids.length) break;
      await inTransactionRetrying(async (tx) => {
        const { program } = await programFor(tx, shop);
        // The batch's customers locked at once, in id order (as every locker of several customers does).
        const locked = await lockCustomerStanding(tx, shop, ids);
        for (const id of ids) {
          const before = locked.get(id);
          if (before) await refreshStandingFrom(tx, shop, id, before, program, cause, now, { facts: false });
        }
      });
      done += ids.length;
      after = ids[ids.length - 1] ?? null;
      if (jobId !== null) await updateJobProgress(shop, jobId, done);
    }
    if (jobId !== null) await finishJob(shop, jobId, "done", new Date());
    return { customers: done };
  } catch (error) {
    log.error("tier recompute failed", { shop, jobId, error: errorName(error) });
    if (jobId !== null) await finishJob(shop, jobId, "failed", new Date(), "The recompute stopped; save the program again to retry.");
    throw error;
  }
}

/**
 * A recompute job, run by one instance at a time: its runner holds the job's session-level advisory lock, so a job
 * found "running" is taken over only when the instance running it is gone (its connection, and the lock, with it).
 * False when another instance is running it.
 */
async function runRecomputeJob(shop: string, jobId: number): Promise<boolean> {
  const outcome = await withSessionTryLock(`tier recompute job ${jobId}`, () => runTierRecompute(shop, jobId, "recompute"));
  return outcome.locked;
}

/**
 * Daily: customers whose spend ages out of a rolling 12-month window move down (and new ones up). With `oncePerMs`
 * (the scheduler), a shop swept less than that long before `now` (by any instance: the sweep is recorded as a
 * "rolling-sweep" job) is skipped; the caller makes sure two instances do not check at the same moment.
 */
export async function sweepRollingWindow(shop: string, now = new Date(), options: { oncePerMs?: number } = {}) {
  const { program } = await getLoyaltyProgram(shop);
  if (program.window !== "rolling12") return { customers: 0, skipped: true };
  let jobId: number | null = null;
  if (options.oncePerMs !== undefined) {
    const last = await latestJob(shop, "rolling-sweep");
    if (last && last.status !== "failed" && now.getTime() - last.startedAt.getTime() < options.oncePerMs) return { customers: 0, skipped: true };
    jobId = (await createJob(shop, "rolling-sweep", await countCustomers(shop), now)).id;
  }
  const result = await runTierRecompute(shop, jobId, "sweep", now);
  return { ...result, skipped: false };
}

/** Staff adjustment of a customer's points, with a reason; the balance may not go below zero. */
export async function adjustPoints(
  shop: string,
  customerId: string,
  input: unknown,
  staff: string | null,
): Promise<{ ok: true; balance: number } | { ok: false; errors: Record<string, string> }> {
  const parsed = PointsAdjustmentSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[issue.path.join(".") || "form"] ??= issue.message;
    return { ok: false, errors };
  }
  type Result = { ok: true; balance: number } | { ok: false; errors: Record<string, string> };
  return inTransaction(async (tx): Promise<Result> => {
    // The customer's row lock: two debits at once are checked one after the other, so the balance never goes below zero.
    const customer = (await lockCustomerStanding(tx, shop, [customerId])).get(customerId);
    if (!customer) return { ok: false, errors: { customer: "Customer not found" } };
    if (customer.pointsBalance + parsed.data.points < 0) {
      return { ok: false, errors: { points: `The balance is ${customer.pointsBalance}; it cannot go below zero.` } };
    }
    const now = new Date();
    const balance = await bookAdjustment(tx, shop, customerId, customer, { ...parsed.data, key: randomUUID(), staff }, now);
    return { ok: true, balance: balance ?? 0 };
  });
}

/** Start-up: finish recompute jobs a process that is gone left running (not those another instance is running). */
export async function resumeInterruptedRecomputes() {
  for (const job of await interruptedJobs("tier-recompute")) {
    void runRecomputeJob(job.shop, job.id)
      .then((ran) => {
        if (ran) log.info("resumed tier recompute", { shop: job.shop, jobId: job.id });
      })
      .catch(() => undefined);
  }
}
