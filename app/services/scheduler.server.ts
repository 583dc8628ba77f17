import { errorName, log } from "~/logger.server";
import { abandonPastPeriodJobs, claimExpiredJobs, claimPeriodicRun, INSTANCE_ID, JOB_LEASE_MS, type LeasedJob } from "~/models/jobs.server";
import { installedShops } from "~/models/shops.server";
import { adminGraphqlForShop } from "~/shopify/admin-for-shop.server";
import { acceptJobs, isShuttingDown, JobStopped, stopJobs, type LeaseOptions } from "./job-runner.server";
import { runRecomputeJob, sweepRollingWindow, utcDay } from "./loyalty.server";
import { resumeImportJob } from "./order-import.server";
import { startOutboxWorker } from "./outbox.server";
import { PENDING_POINTS_SWEEP_MS, sweepPendingPointsAllShops } from "./pending-points-sweep.server";
import { REWARD_SWEEP_MS, sweepRewardsAllShops } from "./rewards-sweep.server";
import { shopsWithUndecidedSurveyAnswers, sweepSurveyAnswerMoments } from "./survey-answer-events.server";
import { shopsWithPendingSurveyAnswers, sweepPendingAnswers } from "./survey-answers.server";
import { PERK_RENEWAL_CHECK_MS, renewTierPerksAllShops } from "./tier-perks.server";

/**
 * Background work of every app instance (docs/decisions/027-job-leases.md). Nothing here relies on being the only
 * process: jobs are leased, each sweep period is claimed in the database by one instance, and shutdown stops
 * claiming and gives back what it holds.
 */

const HOUR_MS = 60 * 60 * 1000;
/**
 * The sweeps' timers fire hourly on every instance; the database decides who runs: the rolling-window sweep once per
 * shop and UTC day, the pending-answer sweep once per UTC hour. Pending survey answers live at most 72 hours
 * (decision 022); an hourly sweep keeps that within the hour.
 */
const SWEEP_CHECK_MS = HOUR_MS;
/** How often each instance looks for jobs whose lease ran out (an instance died) or was released (it shut down). */
const TAKEOVER_CHECK_MS = Math.max(25, Math.floor(JOB_LEASE_MS / 2));

/** A UTC hour as a period key ("2026-12-03T10"). */
const utcHour = (at: Date) => at.toISOString().slice(0, 13);

/**
 * The daily rolling-window sweep over every installed shop. Every instance's timer calls this; each shop's sweep of
 * the day is claimed in the database (sweepRollingWindow), so whichever instances call at once, each shop is swept
 * once a day, and two instances calling together share the shops between them. A sweep whose instance died is
 * resumed by the next caller after its lease; sweeps of earlier days left running are marked failed.
 */
export async function sweepAllShops(now = new Date(), options: Pick<LeaseOptions, "owner" | "leaseMs"> = {}) {
  await abandonPastPeriodJobs("rolling-sweep", utcDay(now));
  for (const shop of await installedShops()) {
    if (isShuttingDown()) return;
    try {
      await sweepRollingWindow(shop, now, { oncePerDay: true, ...options });
    } catch (error) {
      if (error instanceof JobStopped) {
        if (error.reason === "shutdown") return;
        continue;
      }
      log.error("rolling-window sweep failed", { shop, error: errorName(error) });
    }
  }
}

/**
 * The hourly clean-up of survey answers whose order never arrived, over every shop that holds some: run by the one
 * instance that claims the UTC hour of `now` (a PeriodicRun row). False when another caller had claimed it. An
 * instance that dies mid-sweep leaves the rest to the next hour's sweep.
 */
export async function sweepPendingAnswersAllShops(now = new Date(), owner = INSTANCE_ID): Promise<boolean> {
  if (!(await claimPeriodicRun("pending survey answer sweep", utcHour(now), now, owner))) return false;
  for (const shop of await shopsWithPendingSurveyAnswers()) {
    if (isShuttingDown()) break;
    try {
      const { settled, expired } = await sweepPendingAnswers(shop, now);
      if (settled || expired) log.info("pending survey answers swept", { shop, settled, expired });
    } catch (error) {
      log.error("pending survey answer sweep failed", { shop, error: errorName(error) });
    }
  }
  // In the same hour's run: answer sets whose "Survey answer received" moment came without a request (their edit
  // window closed, or they were completed while pending) get it now (decision 041).
  for (const shop of await shopsWithUndecidedSurveyAnswers()) {
    if (isShuttingDown()) break;
    try {
      const { decided, queued } = await sweepSurveyAnswerMoments(shop, now);
      if (decided) log.info("survey answer sets decided", { shop, decided, queued });
    } catch (error) {
      log.error("survey answer set sweep failed", { shop, error: errorName(error) });
    }
  }
  return true;
}

/**
 * Claims the recompute and import jobs whose lease ran out (their instance died) or was released (it shut down) and
 * resumes each from its checkpoint. `finished` settles when they all have (finished, failed or stopped).
 */
export async function takeOverJobs(options: LeaseOptions = {}): Promise<{ claimed: LeasedJob[]; finished: Promise<void> }> {
  if (isShuttingDown()) return { claimed: [], finished: Promise.resolve() };
  const claimed = await claimExpiredJobs(["tier-recompute", "order-import"], options.owner, options.leaseMs);
  const runs = claimed.map((job) => {
    log.info("taking over a job", { shop: job.shop, jobId: job.id, kind: job.kind, claims: job.claims });
    // An import calls the Admin API with the shop's stored offline session (no request to authenticate).
    const run =
      job.kind === "order-import"
        ? adminGraphqlForShop(job.shop).then((graphql) => resumeImportJob(job, { graphql }, options))
        : runRecomputeJob(job, options);
    return run.then(
      () => log.info("job taken over finished", { shop: job.shop, jobId: job.id, kind: job.kind }),
      () => undefined, // logged and recorded by the job runner
    );
  });
  return { claimed, finished: Promise.all(runs).then(() => undefined) };
}

/** Runs `work` now and every `ms`, never twice at once; stop() clears the timer and resolves after a run in progress. */
function every(name: string, ms: number, work: () => Promise<unknown>) {
  let current: Promise<unknown> | null = null;
  let stopped = false;
  const tick = () => {
    if (current || stopped) return;
    current = work()
      .catch((error: unknown) => log.error(`${name} failed`, { error: errorName(error) }))
      .finally(() => {
        current = null;
      });
  };
  const timer = setInterval(tick, ms);
  timer.unref();
  tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await current;
  };
}

/**
 * Background work of a running server: the outbox worker, the takeover of jobs other instances left (at start-up
 * and every half lease), the daily sweep and the hourly sweep of pending survey answers. Started once by server
 * start-up (app/entry.server.tsx), never by tests. Returns stop() (shutdown): nothing new is claimed, the jobs this
 * process runs stop at their next step and release their leases, the outbox worker finishes its call in flight and
 * puts back what it claimed; resolves when all that is done.
 */
export function startBackgroundWork(): () => Promise<void> {
  acceptJobs();
  log.info("background work instance", { instance: INSTANCE_ID });
  const stopOutbox = startOutboxWorker();
  const stopTakeover = every("job takeover", TAKEOVER_CHECK_MS, () => takeOverJobs());
  const stopSweep = every("rolling-window sweep", SWEEP_CHECK_MS, () => sweepAllShops());
  const stopPendingSweep = every("pending survey answer sweep", SWEEP_CHECK_MS, () => sweepPendingAnswersAllShops());
  // Reward codes: expired ones give their points back, pending ones left by a lost answer are settled.
  const stopRewardSweep = every("reward code sweep", REWARD_SWEEP_MS, () => sweepRewardsAllShops());
  // Pending points whose return window has closed become available (decision 043).
  const stopPendingPoints = every("pending points sweep", PENDING_POINTS_SWEEP_MS, () => sweepPendingPointsAllShops());
  // Tier perk discounts: their end date moved on once a UTC day (decision 039), so they lapse without the app.
  const stopPerkRenewal = every("tier perk renewal", PERK_RENEWAL_CHECK_MS, () => renewTierPerksAllShops());
  return async () => {
    const jobs = stopJobs();
    await Promise.all([jobs, stopOutbox(), stopTakeover(), stopSweep(), stopPendingSweep(), stopRewardSweep(), stopPendingPoints(), stopPerkRenewal()]);
    // A job a takeover or sweep started while stopping began (it was refused a lease at once) is released too.
    await stopJobs();
  };
}
