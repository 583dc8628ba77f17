import { errorName, log } from "~/logger.server";
import { finishJob, INSTANCE_ID, JOB_LEASE_MS, releaseJob, renewLease, updateJobProgress, type JobKind } from "~/models/jobs.server";

/**
 * Runs leased jobs (docs/decisions/027-job-leases.md): while `work` runs, a heartbeat renews the job's lease; the work
 * records progress and its checkpoint through the lease, checks `lease.signal` between steps, and stops when it is
 * aborted — the lease was lost (another instance took the job over: this one must not go on) or the process is
 * shutting down (`stopJobs`: the lease is released, so another instance resumes the job at once).
 */
export class JobStopped extends Error {
  override name = "JobStopped";
  constructor(readonly reason: "lost" | "shutdown") {
    super(reason === "lost" ? "the job's lease was lost" : "the instance is shutting down");
  }
}

export interface Lease {
  readonly jobId: number;
  readonly shop: string;
  readonly owner: string;
  /** Aborted (with a JobStopped as its reason) when the work must stop. */
  readonly signal: AbortSignal;
  /** Throws the JobStopped reason when the work must stop. */
  check(): void;
  /** Records progress and the checkpoint to resume from; renews the lease. Throws JobStopped when the lease is lost. */
  progress(done: number, checkpoint?: unknown, total?: number): Promise<void>;
}

export interface LeaseOptions {
  owner?: string;
  leaseMs?: number;
  /** Heartbeat period; a third of the lease by default. */
  heartbeatMs?: number;
}

interface Held {
  controller: AbortController;
  finished: Promise<unknown>;
}

/** The jobs this process is running, by id: `stopJobs` stops them all. */
const held = new Map<number, Held>();
let shuttingDown = false;

/**
 * Runs `work` on job `job`, which `owner` holds (it created or claimed it). On success the job is marked done with the
 * `detail` string `work` returns, if any; on failure, failed with `failedDetail`; on JobStopped, left running (released on shutdown).
 * Rethrows what `work` threw.
 */
export async function runUnderLease<T extends object>(
  job: { id: number; shop: string; kind: JobKind },
  work: (lease: Lease) => Promise<T>,
  options: LeaseOptions & { failedDetail?: (error: unknown) => string } = {},
): Promise<T> {
  const { owner = INSTANCE_ID, leaseMs = JOB_LEASE_MS } = options;
  const heartbeatMs = options.heartbeatMs ?? Math.max(10, Math.floor(leaseMs / 3));
  const controller = new AbortController();
  let renewedAt = Date.now();
  const stop = (reason: "lost" | "shutdown") => {
    if (!controller.signal.aborted) controller.abort(new JobStopped(reason));
  };
  const lease: Lease = {
    jobId: job.id,
    shop: job.shop,
    owner,
    signal: controller.signal,
    check: () => controller.signal.throwIfAborted(),
    progress: async (done, checkpoint, total) => {
      controller.signal.throwIfAborted();
      if (!(await updateJobProgress(job.shop, job.id, { done, checkpoint, total }, owner, leaseMs))) {
        stop("lost");
        controller.signal.throwIfAborted();
      }
      renewedAt = Date.now();
    },
  };
  const heartbeat = setInterval(() => {
    // Not renewed for a whole lease (the database did not answer): another instance may own it by now.
    if (Date.now() - renewedAt >= leaseMs) return stop("lost");
    renewLease(job.shop, job.id, owner, leaseMs).then(
      (renewed) => {
        if (renewed) renewedAt = Date.now();
        else stop("lost");
      },
      (error: unknown) => log.warn("job lease renewal failed", { shop: job.shop, jobId: job.id, error: errorName(error) }),
    );
  }, heartbeatMs);
  heartbeat.unref();
  if (shuttingDown) stop("shutdown");

  const run = (async () => {
    try {
      controller.signal.throwIfAborted();
      const result = await work(lease);
      const detail = "detail" in result && typeof result.detail === "string" ? result.detail : undefined;
      await finishJob(job.shop, job.id, "done", new Date(), detail, owner);
      return result;
    } catch (error) {
      if (error instanceof JobStopped) {
        if (error.reason === "shutdown") {
          await releaseJob(job.shop, job.id, owner);
          log.info("job released for another instance", { shop: job.shop, jobId: job.id, kind: job.kind });
        } else {
          log.warn("job lease lost: another instance has taken the job over", { shop: job.shop, jobId: job.id, kind: job.kind });
        }
        throw error;
      }
      log.error("job failed", { shop: job.shop, jobId: job.id, kind: job.kind, error: errorName(error) });
      await finishJob(job.shop, job.id, "failed", new Date(), options.failedDetail?.(error) ?? "failed", owner);
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  })();
  const entry: Held = { controller, finished: run.catch(() => undefined) };
  held.set(job.id, entry);
  try {
    return await run;
  } finally {
    if (held.get(job.id) === entry) held.delete(job.id);
  }
}

/** How long shutdown waits for the jobs it asked to stop. */
const STOP_TIMEOUT_MS = 20_000;

/**
 * Shutdown: every job this process runs is asked to stop at its next step and releases its lease; resolves when they
 * have (or after `STOP_TIMEOUT_MS`: a job still running then keeps its lease until it runs out). No job starts afterwards.
 */
export async function stopJobs(): Promise<void> {
  shuttingDown = true;
  const running = [...held.values()];
  for (const job of running) {
    if (!job.controller.signal.aborted) job.controller.abort(new JobStopped("shutdown"));
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, STOP_TIMEOUT_MS);
    timer.unref();
  });
  await Promise.race([Promise.all(running.map((job) => job.finished)), timeout]);
  clearTimeout(timer);
}

/** Start-up (and tests after `stopJobs`): jobs may run again. */
export function acceptJobs(): void {
  shuttingDown = false;
}

/** Whether this process is shutting down (no new work is claimed). */
export function isShuttingDown(): boolean {
  return shuttingDown;
}
