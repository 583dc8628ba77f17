import { BulkLineItemLineSchema, BulkOrderLineSchema, bulkOrderToRest, bulkRefundsToRest, type BulkLineItemLine, type BulkOrderLine } from "~/domain/orders/bulk-order";
import { importProgress } from "~/domain/orders/import-progress";
import { nextStatisticsRefresh } from "~/domain/orders/import-statistics";
import { InvalidPayloadError } from "~/domain/payload-error";
import { graphqlProductToRest } from "~/domain/products/product-payload";
import { log } from "~/logger.server";
import { createJob, latestJob, type LeasedJob } from "~/models/jobs.server";
import { INGEST_TABLES, refreshTableStatistics } from "~/models/table-statistics.server";
import { AdminApiError, type AdminGraphql } from "~/shopify/admin-client.server";
import { bulkOperationStatus, downloadJsonlLines, startBulkOrderExport } from "~/shopify/bulk-orders.server";
import { allProducts } from "~/shopify/products-query.server";
import { ingestEvent } from "./ingest-webhook.server";
import { runUnderLease, type LeaseOptions } from "./job-runner.server";

/**
 * Historical import: a bulk operation exports the shop's orders; each order and its refunds go through
 * `ingestEvent` exactly like webhooks, with deterministic idempotency keys, so running the import again changes
 * nothing and an import overlapping live webhooks never double-counts.
 */
interface ImportDeps {
  graphql: AdminGraphql;
  download?: (url: string) => AsyncIterable<string>;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

interface ImportCounts {
  orders: number;
  refunds: number;
  /** Products read for their tags (final-sale exceptions), after the orders. */
  products: number;
  skipped: number;
}

/**
 * How many orders (each with its refunds) are applied at once: they share group commits (one COMMIT for many orders
 * instead of one each), so the import is not bound by one commit per order. Bounded, so memory stays flat whatever
 * the size of the export.
 */
const IN_FLIGHT = 256;

/**
 * How far an import got, counted from the start of the bulk operation's file: `position` top-level lines (orders,
 * and lines refused as orders) are applied — every one of them, not just that many — and their counts. A resumed
 * import skips those lines and adds to the counts.
 */
interface ImportProgress {
  position: number;
  orders: number;
  refunds: number;
  skipped: number;
}

const NO_PROGRESS: ImportProgress = { position: 0, orders: 0, refunds: 0, skipped: 0 };

/**
 * Applies a bulk JSONL stream. Line items follow their order (Shopify writes children after their parent).
 * `onProgress` hears, every 100 orders and at the end, the prefix of the file applied so far (orders run up to
 * IN_FLIGHT at once and finish out of order: the prefix advances only over orders that all finished). `from` skips
 * the prefix a previous run applied; with `signal`, the stream stops when it is aborted: the orders in flight finish,
 * the prefix is reported, and the signal's reason is thrown.
 */
export async function applyBulkOrderLines(
  shop: string,
  lines: AsyncIterable<string>,
  onProgress?: (progress: ImportProgress) => Promise<void>,
  options: { from?: ImportProgress; signal?: AbortSignal } = {},
): Promise<ImportCounts> {
  const from = options.from ?? NO_PROGRESS;
  const counts: ImportCounts = { orders: from.orders, refunds: from.refunds, products: 0, skipped: from.skipped };
  let current: { order: BulkOrderLine; position: number } | null = null;
  let items: BulkLineItemLine[] = [];
  const inFlight = new Set<Promise<void>>();
  /** The first error that is not a refused payload: the import stops with it. */
  const failures: unknown[] = [];
  /** Top-level lines seen (the next one's position). */
  let position = 0;
  /** The applied prefix, and what finished beyond it (by position). */
  const prefix: ImportProgress = { ...from };
  const finished = new Map<number, { orders: number; refunds: number; skipped: number }>();
  let reported = from.orders;

  const complete = (at: number, done: { orders: number; refunds: number; skipped: number }) => {
    counts.orders += done.orders;
    counts.refunds += done.refunds;
    counts.skipped += done.skipped;
    finished.set(at, done);
    for (let next = finished.get(prefix.position); next; next = finished.get(prefix.position)) {
      finished.delete(prefix.position);
      prefix.position += 1;
      prefix.orders += next.orders;
      prefix.refunds += next.refunds;
      prefix.skipped += next.skipped;
    }
  };

  /** One order, then its refunds (a refund applied before its order would wait for it all the same). */
  const applyOrder = async (order: BulkOrderLine, orderItems: BulkLineItemLine[]) => {
    const done = { orders: 0, refunds: 0, skipped: 0 };
    try {
      await ingestEvent({
        shop,
        topic: "orders/updated",
        webhookId: `import:order:${order.id}:${order.updatedAt}`,
        payload: bulkOrderToRest(order, orderItems),
      });
      done.orders += 1;
      for (const refund of bulkRefundsToRest(order)) {
        await ingestEvent({ shop, topic: "refunds/create", webhookId: `import:refund:${refund.id}`, payload: refund });
        done.refunds += 1;
      }
    } catch (error) {
      if (!(error instanceof InvalidPayloadError)) throw error;
      done.skipped += 1;
      log.warn("import skipped an order", { shop, reason: error.reason });
    }
    return done;
  };

  const settle = async () => {
    if (failures.length) throw failures[0];
    if (onProgress && prefix.orders - reported >= 100) {
      reported = prefix.orders;
      await onProgress({ ...prefix });
    }
  };

  const flush = async () => {
    if (!current) return;
    const { order, position: at } = current;
    const task: Promise<void> = applyOrder(order, items).then(
      (done) => {
        inFlight.delete(task);
        complete(at, done);
      },
      (error: unknown) => {
        inFlight.delete(task);
        failures.push(error);
      },
    );
    inFlight.add(task);
    current = null;
    items = [];
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    await settle();
  };

  /** Stopped from outside: what is in flight finishes, the prefix is reported, the reason is thrown. */
  const stopIfAborted = async () => {
    if (!options.signal?.aborted) return;
    await Promise.all(inFlight);
    if (onProgress && !failures.length) await onProgress({ ...prefix });
    options.signal.throwIfAborted();
  };

  for await (const line of lines) {
    const value = JSON.parse(line) as { id?: string; __parentId?: string };
    if (value.__parentId) {
      const item = BulkLineItemLineSchema.safeParse(value);
      if (item.success && current && item.data.__parentId === current.order.id) items.push(item.data);
      continue;
    }
    await flush();
    await stopIfAborted();
    const at = position++;
    // Applied by the run this one resumes.
    if (at < from.position) continue;
    const order = BulkOrderLineSchema.safeParse(value);
    if (order.success) current = { order: order.data, position: at };
    else complete(at, { orders: 0, refunds: 0, skipped: 1 });
  }
  await flush();
  await Promise.all(inFlight);
  if (failures.length) throw failures[0];
  if (onProgress) await onProgress({ ...prefix });
  return counts;
}

/**
 * Every product of the shop through `ingestEvent` as a products/update (keyed by id and updated_at, so a re-run or
 * a newer webhook wins as usual): products that never changed since install are otherwise unknown, and with them
 * their final-sale tags. Adds to `counts`.
 */
async function importProducts(shop: string, graphql: AdminGraphql, counts: ImportCounts): Promise<void> {
  for await (const node of allProducts(graphql)) {
    try {
      await ingestEvent({ shop, topic: "products/update", webhookId: `import:product:${node.id}:${node.updatedAt}`, payload: graphqlProductToRest(node) });
      counts.products += 1;
    } catch (error) {
      if (!(error instanceof InvalidPayloadError)) throw error;
      counts.skipped += 1;
      log.warn("import skipped a product", { shop, reason: error.reason });
    }
  }
}

/**
 * What a taken-over import resumes from (the job's checkpoint): its bulk operation, and how much of the operation's
 * file is applied (`progress`), or that the orders are all applied (`ordersDone`; the products remain).
 */
interface ImportCheckpoint {
  since: string | null;
  operationId: string | null;
  progress: ImportProgress;
  ordersDone: boolean;
  /** Orders in the export, from Shopify once it completed (null before). */
  total: number | null;
  /** When this run started applying the export's file, and the orders applied by then: the rate shown. */
  applyingSince: string | null;
  doneAtStart: number;
}

function importCheckpoint(value: unknown): ImportCheckpoint {
  const fresh: ImportCheckpoint = { since: null, operationId: null, progress: NO_PROGRESS, ordersDone: false, total: null, applyingSince: null, doneAtStart: 0 };
  if (value === null || typeof value !== "object") return fresh;
  const v = value as Partial<ImportCheckpoint>;
  const p = v.progress;
  const progress =
    p && [p.position, p.orders, p.refunds, p.skipped].every((n) => typeof n === "number")
      ? { position: p.position, orders: p.orders, refunds: p.refunds, skipped: p.skipped }
      : NO_PROGRESS;
  return {
    since: typeof v.since === "string" ? v.since : null,
    operationId: typeof v.operationId === "string" ? v.operationId : null,
    progress,
    ordersDone: v.ordersDone === true,
    total: typeof v.total === "number" ? v.total : null,
    applyingSince: typeof v.applyingSince === "string" ? v.applyingSince : null,
    doneAtStart: typeof v.doneAtStart === "number" ? v.doneAtStart : 0,
  };
}

const BULK_GONE = ["FAILED", "CANCELED", "EXPIRED"];

/** Starts an import job for the shop (unless one is running) and runs it in the background. */
export async function startOrderImport(shop: string, deps: ImportDeps, since: Date | null = null) {
  const running = await latestJob(shop, "order-import");
  if (running?.status === "running") return { jobId: running.id, started: false };
  const checkpoint: ImportCheckpoint = {
    since: since?.toISOString() ?? null,
    operationId: null,
    progress: NO_PROGRESS,
    ordersDone: false,
    total: null,
    applyingSince: null,
    doneAtStart: 0,
  };
  const job = await createJob(shop, "order-import", 0, new Date(), { checkpoint });
  // (a failure is logged and recorded on the job; a stop leaves it to another instance)
  void runImportJob({ id: job.id, shop, checkpoint }, deps).catch(() => undefined);
  return { jobId: job.id, started: true };
}

/**
 * An import job under its lease, from its checkpoint (a job another instance left: `checkpoint` as it recorded it).
 * A resumed import polls the bulk operation it had started; when Shopify no longer has that operation's result (it
 * failed, was cancelled or expired: results are kept for a week), the import starts a new bulk operation and applies
 * its file from the start (every order is keyed, so what was applied before changes nothing). Rejects with
 * JobStopped when it stopped for another instance to finish.
 */
export async function runImportJob(
  job: Pick<LeasedJob, "id" | "shop" | "checkpoint">,
  deps: ImportDeps,
  options: LeaseOptions = {},
): Promise<ImportCounts> {
  const { shop } = job;
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const result = await runUnderLease(
    { id: job.id, shop, kind: "order-import" },
    async (lease) => {
      const cp = importCheckpoint(job.checkpoint);
      const since = cp.since ? new Date(cp.since) : null;
      // The tables grow from nothing faster than autovacuum analyzes them: their statistics are refreshed as the
      // import goes (at 1,000 orders, then each time the count doubles), so its statements keep their plans.
      let statisticsAt = nextStatisticsRefresh(cp.progress.orders);
      const save = async (progress: ImportProgress, changes: Partial<ImportCheckpoint> = {}) => {
        Object.assign(cp, { progress }, changes);
        await lease.progress(progress.orders, cp, cp.total ?? undefined);
        if (progress.orders >= statisticsAt) {
          statisticsAt = nextStatisticsRefresh(progress.orders);
          await refreshTableStatistics(INGEST_TABLES);
        }
      };
      let counts: ImportCounts = { orders: cp.progress.orders, refunds: cp.progress.refunds, products: 0, skipped: cp.progress.skipped };
      let resumed = cp.operationId !== null;
      while (!cp.ordersDone) {
        if (!cp.operationId) {
          const operationId = await startBulkOrderExport(deps.graphql, since);
          await save(NO_PROGRESS, { operationId });
        }
        const status = await bulkOperationStatus(deps.graphql, cp.operationId!).catch((error: unknown) => {
          if (resumed && error instanceof AdminApiError) return null;
          throw error;
        });
        if (!status || BULK_GONE.includes(status.status)) {
          if (!resumed) throw new Error(`bulk operation ${status!.status.toLowerCase()} (${status!.errorCode ?? "no code"})`);
          // Taken over, but Shopify no longer has the operation (or its result): start again with a new one.
          log.warn("resumed import restarts its bulk operation", { shop, jobId: job.id, status: status?.status ?? "not found" });
          resumed = false;
          counts = { orders: 0, refunds: 0, products: 0, skipped: 0 };
          await save(NO_PROGRESS, { operationId: null });
          continue;
        }
        if (status.status === "COMPLETED") {
          const total = Number(status.rootObjectCount ?? Number.NaN);
          await save(cp.progress, {
            total: Number.isSafeInteger(total) && total >= 0 ? total : null,
            applyingSince: new Date().toISOString(),
            doneAtStart: cp.progress.orders,
          });
          if (status.url) {
            counts = await applyBulkOrderLines(shop, (deps.download ?? downloadJsonlLines)(status.url), (progress) => save(progress), {
              from: cp.progress,
              signal: lease.signal,
            });
          }
          await save(cp.progress, { ordersDone: true });
          break;
        }
        await sleep(deps.pollMs ?? 2000);
        lease.check();
      }
      await importProducts(shop, deps.graphql, counts);
      return { counts, detail: `${counts.orders} orders, ${counts.refunds} refunds, ${counts.products} products imported` };
    },
    { ...options, failedDetail: (error) => (error instanceof Error ? error.message.slice(0, 200) : "failed") },
  );
  return result.counts;
}

/** A job another instance left (claimed by this one): resumed with `deps` (the caller's client for the shop). */
export async function resumeImportJob(job: Pick<LeasedJob, "id" | "shop" | "checkpoint">, deps: ImportDeps, options: LeaseOptions = {}) {
  return runImportJob(job, deps, options);
}

/** The shop's latest import, with its progress as the merchant sees it (share, rate, time left) at `now`. */
export async function latestImportJob(shop: string, now = new Date()) {
  const job = await latestJob(shop, "order-import");
  if (!job) return null;
  const cp = importCheckpoint(job.checkpoint);
  const progress = importProgress({
    done: job.done,
    total: cp.total,
    applyingSince: cp.applyingSince ? new Date(cp.applyingSince) : null,
    doneAtStart: cp.doneAtStart,
    now,
  });
  return { status: job.status, done: job.done, detail: job.detail, startedAt: job.startedAt, finishedAt: job.finishedAt, progress };
}
