import { randomBytes } from "node:crypto";
import os from "node:os";
import { Prisma } from "@prisma/client";
import { env } from "~/env.server";
import { prisma, readSql } from "~/db.server";

/**
 * Background jobs (docs/decisions/027-job-leases.md). A running job is owned by one app instance through a lease:
 * `leaseOwner` (the instance id) and `leaseUntil` (database time). The owner renews it while it works (a heartbeat,
 * and every progress write); every write of the owner is guarded by `leaseOwner`, so an instance that lost its lease
 * learns it at its next write and stops. A job whose lease ran out (its instance died) or was released (its instance
 * shut down) is claimed by another instance in one statement (`FOR UPDATE SKIP LOCKED`) and resumed from its
 * checkpoint; a live owner's job is never claimed. Lease times are the database's clock, never an instance's.
 *
 * "rolling-sweep": the daily rolling-window sweep of one shop, one row per shop and UTC day (`periodKey`), claimed by
 * one instance in all (`claimPeriodJob`).
 */
export type JobKind = "tier-recompute" | "order-import" | "rolling-sweep";

/** This process's id as a lease owner: random per process (a restarted instance is a new owner), logged at start-up. */
export const INSTANCE_ID = `${os.hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString("hex")}`;

/**
 * 1, except in the fault suite, which shrinks durations (as the outbox worker does) so takeovers happen in seconds.
 */
const TIME_SCALE = env.AFTERGLOW_TEST_TIME_SCALE ?? 1;
/** A lease lasts this long unless renewed; an instance that died holds its jobs at most this long. */
export const JOB_LEASE_MS = Math.max(50, Math.round(60_000 * TIME_SCALE));
/** A job claimed this often without finishing (it brought down every instance that ran it) is marked failed. */
const MAX_CLAIMS = 5;

export interface LeasedJob {
  id: number;
  shop: string;
  kind: JobKind;
  total: number;
  done: number;
  /** The job's checkpoint as the last owner recorded it (null: from the start). */
  checkpoint: unknown;
  /** Times claimed, this claim included. */
  claims: number;
  startedAt: Date;
}

const leaseFor = (ms: number) => Prisma.sql`now() + make_interval(secs => ${ms / 1000}::float8)`;

/** A new running job, leased to `owner` (the instance that will run it) from the start. */
export async function createJob(
  shop: string,
  kind: JobKind,
  total: number,
  now: Date,
  options: { owner?: string; leaseMs?: number; checkpoint?: unknown } = {},
) {
  const { owner = INSTANCE_ID, leaseMs = JOB_LEASE_MS, checkpoint = null } = options;
  const [job] = await prisma.$queryRaw<{ id: number }[]>`
    INSERT INTO "Job" ("shop", "kind", "status", "total", "done", "startedAt", "leaseOwner", "leaseUntil", "heartbeatAt", "claims", "checkpoint")
    VALUES (${shop}, ${kind}, 'running', ${total}::int, 0, ${now}, ${owner}, ${leaseFor(leaseMs)}, now(), 1, ${checkpoint === null ? null : JSON.stringify(checkpoint)}::jsonb)
    RETURNING "id"`;
  return { id: job!.id };
}

/**
 * Claims up to `limit` running jobs of `kinds` whose lease ran out or was released, for `owner`, in one statement:
 * two instances claiming at once never get the same job (the second skips rows the first has locked, and a row the
 * first has already claimed no longer matches). Jobs claimed MAX_CLAIMS times are marked failed first.
 */
export async function claimExpiredJobs(kinds: JobKind[], owner = INSTANCE_ID, leaseMs = JOB_LEASE_MS, limit = 10): Promise<LeasedJob[]> {
  await prisma.$executeRaw`
    UPDATE "Job" SET "status" = 'failed', "finishedAt" = now(), "leaseOwner" = NULL, "leaseUntil" = NULL,
      "detail" = 'Stopped: interrupted ' || "claims" || ' times without finishing.'
    WHERE "status" = 'running' AND "kind" = ANY (${kinds}::text[]) AND "claims" >= ${MAX_CLAIMS}::int
      AND ("leaseUntil" IS NULL OR "leaseUntil" < now())`;
  return prisma.$queryRaw<LeasedJob[]>`
    UPDATE "Job" AS j SET "leaseOwner" = ${owner}, "leaseUntil" = ${leaseFor(leaseMs)}, "heartbeatAt" = now(), "claims" = j."claims" + 1
    WHERE j."id" IN (
      SELECT "id" FROM "Job"
      WHERE "status" = 'running' AND "kind" = ANY (${kinds}::text[]) AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
      ORDER BY "id" LIMIT ${limit}::int
      FOR UPDATE SKIP LOCKED)
    AND j."status" = 'running' AND (j."leaseUntil" IS NULL OR j."leaseUntil" < now())
    RETURNING j."id", j."shop", j."kind", j."total", j."done", j."checkpoint", j."claims", j."startedAt"`;
}

/**
 * Claims one periodic job (`periodKey`, e.g. a UTC day) of the shop: the first caller of the period inserts it,
 * leased to itself; a later caller gets it only if its owner died (running, lease run out: resumed from its
 * checkpoint) or it failed (run again), fewer than MAX_CLAIMS times. Null: the period is done, or running under a
 * live lease. One statement (INSERT … ON CONFLICT … DO UPDATE … WHERE), so two callers never both get it.
 */
export async function claimPeriodJob(
  shop: string,
  kind: JobKind,
  periodKey: string,
  now: Date,
  owner = INSTANCE_ID,
  leaseMs = JOB_LEASE_MS,
): Promise<LeasedJob | null> {
  const [job] = await prisma.$queryRaw<LeasedJob[]>`
    INSERT INTO "Job" AS j ("shop", "kind", "status", "total", "done", "startedAt", "leaseOwner", "leaseUntil", "heartbeatAt", "claims", "periodKey")
    VALUES (${shop}, ${kind}, 'running', 0, 0, ${now}, ${owner}, ${leaseFor(leaseMs)}, now(), 1, ${periodKey})
    ON CONFLICT ("shop", "kind", "periodKey") WHERE "periodKey" IS NOT NULL DO UPDATE
      SET "status" = 'running', "finishedAt" = NULL, "detail" = NULL, "leaseOwner" = excluded."leaseOwner",
        "leaseUntil" = excluded."leaseUntil", "heartbeatAt" = now(), "claims" = j."claims" + 1
      WHERE (j."status" = 'failed' OR (j."status" = 'running' AND (j."leaseUntil" IS NULL OR j."leaseUntil" < now())))
        AND j."claims" < ${MAX_CLAIMS}::int
    RETURNING j."id", j."shop", j."kind", j."total", j."done", j."checkpoint", j."claims", j."startedAt"`;
  return job ?? null;
}

/**
 * Periodic jobs of `kind` left running from an earlier period by an instance that is gone: nobody will resume them
 * (a later period covers the same ground), so they are marked failed rather than left "running" for ever.
 */
export async function abandonPastPeriodJobs(kind: JobKind, currentPeriod: string): Promise<number> {
  return prisma.$executeRaw`
    UPDATE "Job" SET "status" = 'failed', "finishedAt" = now(), "leaseOwner" = NULL, "leaseUntil" = NULL,
      "detail" = 'Interrupted; a later run covers it.'
    WHERE "status" = 'running' AND "kind" = ${kind} AND ("periodKey" IS NULL OR "periodKey" < ${currentPeriod})
      AND ("leaseUntil" IS NULL OR "leaseUntil" < now())`;
}

/** The heartbeat: extends `owner`'s lease. False when the job is no longer `owner`'s (taken over, or finished). */
export async function renewLease(shop: string, id: number, owner = INSTANCE_ID, leaseMs = JOB_LEASE_MS): Promise<boolean> {
  const renewed = await prisma.$executeRaw`
    UPDATE "Job" SET "leaseUntil" = ${leaseFor(leaseMs)}, "heartbeatAt" = now()
    WHERE "shop" = ${shop} AND "id" = ${id}::int AND "status" = 'running' AND "leaseOwner" = ${owner}`;
  return renewed === 1;
}

/**
 * Records progress (and the checkpoint a taker-over resumes from) and renews the lease, if the job is still
 * `owner`'s. False when it is not: the caller stops working on it.
 */
export async function updateJobProgress(
  shop: string,
  id: number,
  progress: { done: number; total?: number; checkpoint?: unknown },
  owner = INSTANCE_ID,
  leaseMs = JOB_LEASE_MS,
): Promise<boolean> {
  const checkpoint = progress.checkpoint === undefined ? null : JSON.stringify(progress.checkpoint);
  const updated = await prisma.$executeRaw`
    UPDATE "Job" SET "done" = ${progress.done}::int, "total" = COALESCE(${progress.total ?? null}::int, "total"),
      "checkpoint" = COALESCE(${checkpoint}::jsonb, "checkpoint"), "leaseUntil" = ${leaseFor(leaseMs)}, "heartbeatAt" = now()
    WHERE "shop" = ${shop} AND "id" = ${id}::int AND "status" = 'running' AND "leaseOwner" = ${owner}`;
  return updated === 1;
}

/** Finishes `owner`'s job and drops its lease. False when the job was not `owner`'s any more (nothing changed). */
export async function finishJob(shop: string, id: number, status: "done" | "failed", now: Date, detail?: string, owner = INSTANCE_ID): Promise<boolean> {
  const updated = await prisma.job.updateMany({
    where: { shop, id, status: "running", leaseOwner: owner },
    data: { status, finishedAt: now, detail: detail ?? null, leaseOwner: null, leaseUntil: null },
  });
  return updated.count === 1;
}

/**
 * Gives the job back (shutdown): it stays running, without an owner, so another instance claims it at once instead
 * of after the lease. False when it was not `owner`'s.
 */
export async function releaseJob(shop: string, id: number, owner = INSTANCE_ID): Promise<boolean> {
  const updated = await prisma.job.updateMany({
    where: { shop, id, status: "running", leaseOwner: owner },
    data: { leaseOwner: null, leaseUntil: null },
  });
  return updated.count === 1;
}

interface JobRow {
  id: number;
  shop: string;
  kind: string;
  status: string;
  total: number;
  done: number;
  detail: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  /** Where a taker-over would continue (the job kind's own shape), or null. */
  checkpoint: unknown;
}

/** The shop's latest job of `kind` (on the read connection: the dashboard and Loyalty page poll it). */
export async function latestJob(shop: string, kind: JobKind): Promise<JobRow | null> {
  const [row] = await readSql().$queryRaw<JobRow[]>`
    SELECT "id", "shop", "kind", "status", "total", "done", "detail", "startedAt", "finishedAt", "checkpoint" FROM "Job"
    WHERE "shop" = ${shop} AND "kind" = ${kind} ORDER BY "startedAt" DESC, "id" DESC LIMIT 1`;
  return row ?? null;
}

/**
 * Claims periodic work over all shops (`task` for `period`, e.g. an hour) for `owner`: true for exactly one caller
 * per task and period across every instance (INSERT … ON CONFLICT DO NOTHING). Rows older than a week are pruned.
 */
export async function claimPeriodicRun(task: string, period: string, now: Date, owner = INSTANCE_ID): Promise<boolean> {
  const inserted = await prisma.$executeRaw`
    INSERT INTO "PeriodicRun" ("task", "period", "instance", "startedAt") VALUES (${task}, ${period}, ${owner}, ${now})
    ON CONFLICT ("task", "period") DO NOTHING`;
  if (inserted === 1) {
    await prisma.$executeRaw`DELETE FROM "PeriodicRun" WHERE "task" = ${task} AND "startedAt" < ${new Date(now.getTime() - 7 * 86_400_000)}`;
  }
  return inserted === 1;
}
