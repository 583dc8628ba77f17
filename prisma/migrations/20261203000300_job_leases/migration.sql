-- Job leases (docs/decisions/027-job-leases.md): a running job is owned by one app instance at a time through a
-- lease it renews while it works (a heartbeat); a job whose lease has run out (its instance died, or released it on
-- shutdown) is claimed by another instance and resumed from its checkpoint.
--
-- "leaseOwner"  the instance id of the process working on the job (random per process, logged at start-up); null
--               when nobody holds it (released on shutdown, or finished)
-- "leaseUntil"  the instance must renew before this instant (database time); after it, any instance may take over
-- "heartbeatAt" the last renewal (for operators: a running job whose heartbeat is old has no live owner)
-- "claims"      how many times the job was claimed (1 for a job that ran uninterrupted); a job claimed too often
--               (it takes down every instance that runs it) is marked failed instead of claimed again
-- "checkpoint"  where a resumed job continues: the import's bulk operation id and how many of its orders are
--               applied, a recompute's last customer id
-- "periodKey"   periodic per-shop work (the daily rolling-window sweep): the period it covers ('2026-12-03'), unique
--               per shop and kind, so one instance in all claims a period (INSERT … ON CONFLICT)
ALTER TABLE "Job"
  ADD COLUMN "leaseOwner" TEXT,
  ADD COLUMN "leaseUntil" TIMESTAMPTZ(3),
  ADD COLUMN "heartbeatAt" TIMESTAMPTZ(3),
  ADD COLUMN "claims" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "checkpoint" JSONB,
  ADD COLUMN "periodKey" TEXT;

-- serves: the takeover check (running jobs whose lease ran out), every instance, every minute
CREATE INDEX "Job_running_leaseUntil_idx" ON "Job"("leaseUntil") WHERE "status" = 'running';

-- serves: one claim per shop, kind and period (the daily sweep's INSERT … ON CONFLICT)
CREATE UNIQUE INDEX "Job_shop_kind_periodKey_key" ON "Job"("shop", "kind", "periodKey") WHERE "periodKey" IS NOT NULL;

-- Periodic work over every shop at once (the hourly sweep of pending survey answers): one row per task and period,
-- inserted by the instance that runs it (INSERT … ON CONFLICT DO NOTHING), so a period runs once across instances.
CREATE TABLE "PeriodicRun" (
    "task" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PeriodicRun_pkey" PRIMARY KEY ("task", "period")
);
