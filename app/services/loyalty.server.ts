import { randomUUID } from "node:crypto";
import { errorName, log } from "~/logger.server";
import { PointsAdjustmentSchema } from "~/domain/loyalty/points";
import { tierSlug, validateProgram, type LoyaltyProgram } from "~/domain/loyalty/program";
import { customersPerTier } from "~/models/customer-queries.server";
import { refreshAllCustomerFacts } from "~/models/customer-facts.server";
import { claimPeriodJob, createJob, INSTANCE_ID, latestJob, type LeasedJob } from "~/models/jobs.server";
import { countCustomers, findCommittedProgram, lockCustomerStanding, storeProgram } from "~/models/loyalty.server";
import { outboxSummary, retryFailedMessage } from "~/models/outbox.server";
import { inSqlTransactionRetrying, inTransaction } from "~/models/transaction.server";
import { runUnderLease, type Lease, type LeaseOptions } from "./job-runner.server";
import { bookAdjustment, programFor, programFrom, recomputeTiersPage, type LoyaltyCause } from "./loyalty-ledger.server";
import { shopDisplay } from "./shop-profile.server";
import { queueTierPerks } from "./tier-perks.server";

/**
 * The loyalty use cases behind the Loyalty page (its data included) and the Customers pages, the recompute job and
 * the daily sweep.
 */

/**
 * Customers per recompute transaction: their rows stay locked until it commits (a webhook of one of them waits), so a
 * page is a few hundred set-based updates, tens of milliseconds.
 */
const PAGE = 500;

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
  // Tier perks follow the committed programme into Shopify (decision 039); a failure here is caught up by the daily renewal.
  await queueTierPerks(shop).catch((error: unknown) => log.error("tier perks not queued after a programme save", { shop, error: errorName(error) }));
  const job = await createJob(shop, "tier-recompute", await countCustomers(shop), new Date());
  // (a failure is logged and recorded on the job; a stop leaves it to another instance)
  void runRecomputeJob({ id: job.id, shop, checkpoint: null }).catch(() => undefined);
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

/** Where a recompute (or sweep) taken over by another instance continues: after this customer id. */
interface RecomputeCheckpoint {
  after: string | null;
  done: number;
}

function recomputeCheckpoint(value: unknown): RecomputeCheckpoint | null {
  if (value === null || typeof value !== "object") return null;
  const { after, done } = value as Record<string, unknown>;
  return (after === null || typeof after === "string") && typeof done === "number" ? { after, done } : null;
}

/**
 * Re-evaluates every customer of the shop against the current program: facts in one SQL statement, then tiers and
 * balances set-based, a page of customers per transaction (`recomputeTiersPage`: the page's tiers and balances, its
 * tier history and its Shopify calls in three statements). Under a lease (a job), progress and the last customer id
 * are recorded after each page and the work stops between pages when asked (JobStopped); `from` resumes after a
 * checkpoint (the facts are refreshed again, the tiers continue after its customer). Safe to run again after a crash
 * (it converges: only customers whose tier or balance changed are written or produce Shopify work).
 */
async function runTierRecompute(shop: string, lease: Lease | null, cause: LoyaltyCause, now = new Date(), from: RecomputeCheckpoint | null = null) {
  // Locks every customer row of the shop: a webhook holding one of them may deadlock with it; then it runs again.
  // Raw transactions: the facts refresh over every customer of a large shop runs past Prisma's 5-second limit.
  await inSqlTransactionRetrying((tx) => refreshAllCustomerFacts(tx, shop, now));
  let after = from?.after ?? null;
  let done = from?.done ?? 0;
  for (;;) {
    lease?.check();
    const page = await inSqlTransactionRetrying(async (tx) => {
      const { program } = await programFor(tx, shop);
      return recomputeTiersPage(tx, shop, { after, limit: PAGE }, program, cause, now);
    });
    if (!page.count) break;
    done += page.count;
    after = page.last;
    await lease?.progress(done, { after, done } satisfies RecomputeCheckpoint);
  }
  return { customers: done };
}

/**
 * A recompute job run under its lease (held by this instance: it created or claimed it), from its checkpoint.
 * Rejects with JobStopped when it stopped for another instance to finish.
 */
export function runRecomputeJob(job: Pick<LeasedJob, "id" | "shop" | "checkpoint">, options: LeaseOptions = {}) {
  return runUnderLease(
    { id: job.id, shop: job.shop, kind: "tier-recompute" },
    (lease) => runTierRecompute(job.shop, lease, "recompute", new Date(), recomputeCheckpoint(job.checkpoint)),
    { ...options, failedDetail: () => "The recompute stopped; save the program again to retry." },
  );
}

/** A UTC day as a period key ("2026-12-03"): the daily sweep runs once per shop and UTC day (decision 025: UTC days). */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Daily: customers whose spend ages out of a rolling 12-month window move down (and new ones up). With `oncePerDay`
 * (the scheduler), the shop's sweep of the UTC day of `now` is claimed in the database first ("rolling-sweep" job
 * with that day as its period): whichever instances call at once, one sweeps, and nobody sweeps that shop again that
 * day — unless the sweep failed, or its instance died (then it is resumed from its checkpoint once its lease ran out).
 */
export async function sweepRollingWindow(
  shop: string,
  now = new Date(),
  options: { oncePerDay?: boolean; owner?: string; leaseMs?: number } = {},
) {
  const { program } = await getLoyaltyProgram(shop);
  if (program.window !== "rolling12") return { customers: 0, skipped: true };
  if (!options.oncePerDay) return { ...(await runTierRecompute(shop, null, "sweep", now)), skipped: false };
  const { owner = INSTANCE_ID, leaseMs } = options;
  const job = await claimPeriodJob(shop, "rolling-sweep", utcDay(now), now, owner, leaseMs);
  if (!job) return { customers: 0, skipped: true };
  const result = await runUnderLease(
    { id: job.id, shop, kind: "rolling-sweep" },
    async (lease) => {
      const from = recomputeCheckpoint(job.checkpoint);
      if (!from) await lease.progress(0, undefined, await countCustomers(shop));
      return runTierRecompute(shop, lease, "sweep", now, from);
    },
    { owner, leaseMs, failedDetail: () => "The sweep stopped; it runs again within the hour." },
  );
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

// ---------------------------------------------------------------------------------------------------------------
// The Loyalty page's data

interface TierBucket {
  /** null: the "No tier" bucket. */
  slug: string | null;
  name: string;
  color: string | null;
  customers: number;
}

/**
 * Customers per tier of the current program, in tier order, then any tier slugs the program no longer has
 * (until a recompute moves those customers), then "No tier". Tiers without customers show as zero.
 */
function tierBuckets(program: LoyaltyProgram, counts: { slug: string | null; customers: number }[]): TierBucket[] {
  const bySlug = new Map(counts.map((c) => [c.slug, c.customers]));
  const buckets: TierBucket[] = program.tiers.map((t) => {
    const slug = tierSlug(t.name);
    const customers = bySlug.get(slug) ?? 0;
    bySlug.delete(slug);
    return { slug, name: t.name, color: t.color, customers };
  });
  const none = bySlug.get(null) ?? 0;
  bySlug.delete(null);
  for (const [slug, customers] of bySlug) buckets.push({ slug, name: `${slug ?? ""} (removed tier)`, color: null, customers });
  buckets.push({ slug: null, name: "No tier", color: null, customers: none });
  return buckets;
}

/** The Loyalty page: the program, the tier distribution, the latest recompute and the Admin API outbox. */
export async function loyaltyOverview(shop: string) {
  const [{ program, version, isDefault }, counts, job, outbox, shown] = await Promise.all([
    getLoyaltyProgram(shop),
    customersPerTier(shop),
    latestRecomputeJob(shop),
    outboxSummary(shop),
    shopDisplay(shop),
  ]);
  return {
    ...shown,
    program,
    version,
    isDefault,
    distribution: tierBuckets(program, counts),
    job: job && {
      id: job.id,
      status: job.status,
      total: job.total,
      done: job.done,
      startedAt: job.startedAt.toISOString(),
      finishedAt: job.finishedAt ? job.finishedAt.toISOString() : null,
    },
    outbox: {
      pending: outbox.pending,
      delivered: outbox.delivered,
      failed: outbox.failed,
      recentFailures: outbox.recentFailures.map((f) => ({
        id: f.id,
        operation: f.operation,
        lastError: f.lastError,
        attempts: f.attempts,
        createdAt: new Date(f.createdAt).toISOString(),
      })),
    },
  };
}

/** Puts a failed outbox message back in the queue for delivery now. */
export async function retryOutboxMessage(shop: string, id: number) {
  return retryFailedMessage(shop, id, new Date());
}
