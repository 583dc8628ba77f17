import { BulkLineItemLineSchema, BulkOrderLineSchema, bulkOrderToRest, bulkRefundsToRest, type BulkLineItemLine, type BulkOrderLine } from "~/domain/orders/bulk-order";
import { InvalidPayloadError } from "~/domain/orders/order-payload";
import { graphqlProductToRest } from "~/domain/products/product-payload";
import { errorName, log } from "~/logger.server";
import { createJob, finishJob, latestJob, updateJobProgress } from "~/models/jobs.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { bulkOperationStatus, downloadJsonlLines, startBulkOrderExport } from "~/shopify/bulk-orders.server";
import { allProducts } from "~/shopify/products-query.server";
import { ingestEvent } from "./ingest-webhook.server";

/**
 * Historical import: a bulk operation exports the shop's orders; each order and its refunds go through
 * `ingestEvent` exactly like webhooks, with deterministic idempotency keys, so running the import again changes
 * nothing and an import overlapping live webhooks never double-counts.
 */
export interface ImportDeps {
  graphql: AdminGraphql;
  download?: (url: string) => AsyncIterable<string>;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ImportCounts {
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
const IN_FLIGHT = 64;

/** Applies a bulk JSONL stream. Line items follow their order (Shopify writes children after their parent). */
export async function applyBulkOrderLines(
  shop: string,
  lines: AsyncIterable<string>,
  onProgress?: (orders: number) => Promise<void>,
): Promise<ImportCounts> {
  const counts: ImportCounts = { orders: 0, refunds: 0, products: 0, skipped: 0 };
  let current: BulkOrderLine | null = null;
  let items: BulkLineItemLine[] = [];
  const inFlight = new Set<Promise<void>>();
  /** The first error that is not a refused payload: the import stops with it. */
  const failures: unknown[] = [];
  let reported = 0;

  /** One order, then its refunds (a refund applied before its order would wait for it all the same). */
  const applyOrder = async (order: BulkOrderLine, orderItems: BulkLineItemLine[]) => {
    try {
      await ingestEvent({
        shop,
        topic: "orders/updated",
        webhookId: `import:order:${order.id}:${order.updatedAt}`,
        payload: bulkOrderToRest(order, orderItems),
      });
      counts.orders += 1;
      for (const refund of bulkRefundsToRest(order)) {
        await ingestEvent({ shop, topic: "refunds/create", webhookId: `import:refund:${refund.id}`, payload: refund });
        counts.refunds += 1;
      }
    } catch (error) {
      if (!(error instanceof InvalidPayloadError)) throw error;
      counts.skipped += 1;
      log.warn("import skipped an order", { shop, reason: error.reason });
    }
  };

  const settle = async () => {
    if (failures.length) throw failures[0];
    if (onProgress && counts.orders - reported >= 100) {
      reported = counts.orders - (counts.orders % 100);
      await onProgress(counts.orders);
    }
  };

  const flush = async () => {
    if (!current) return;
    const task: Promise<void> = applyOrder(current, items).then(
      () => void inFlight.delete(task),
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

  for await (const line of lines) {
    const value = JSON.parse(line) as { id?: string; __parentId?: string };
    if (value.__parentId) {
      const item = BulkLineItemLineSchema.safeParse(value);
      if (item.success && current && item.data.__parentId === current.id) items.push(item.data);
      continue;
    }
    await flush();
    const order = BulkOrderLineSchema.safeParse(value);
    if (order.success) current = order.data;
    else counts.skipped += 1;
  }
  await flush();
  await Promise.all(inFlight);
  if (failures.length) throw failures[0];
  if (onProgress) await onProgress(counts.orders);
  return counts;
}

/**
 * Every product of the shop through `ingestEvent` as a products/update (keyed by id and updated_at, so a re-run or
 * a newer webhook wins as usual): products that never changed since install are otherwise unknown, and with them
 * their final-sale tags. Adds to `counts`.
 */
export async function importProducts(shop: string, graphql: AdminGraphql, counts: ImportCounts): Promise<void> {
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

/** Starts an import job for the shop (unless one is running) and runs it in the background. */
export async function startOrderImport(shop: string, deps: ImportDeps, since: Date | null = null) {
  const running = await latestJob(shop, "order-import");
  if (running?.status === "running") return { jobId: running.id, started: false };
  const job = await createJob(shop, "order-import", 0, new Date());
  void runOrderImport(shop, job.id, deps, since).catch(() => undefined);
  return { jobId: job.id, started: true };
}

export async function runOrderImport(shop: string, jobId: number, deps: ImportDeps, since: Date | null): Promise<ImportCounts> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  try {
    const operationId = await startBulkOrderExport(deps.graphql, since);
    for (;;) {
      const status = await bulkOperationStatus(deps.graphql, operationId);
      if (status.status === "COMPLETED") {
        let counts: ImportCounts = { orders: 0, refunds: 0, products: 0, skipped: 0 };
        if (status.url) {
          counts = await applyBulkOrderLines(shop, (deps.download ?? downloadJsonlLines)(status.url), (done) =>
            updateJobProgress(shop, jobId, done),
          );
          await updateJobProgress(shop, jobId, counts.orders);
        }
        await importProducts(shop, deps.graphql, counts);
        await finishJob(shop, jobId, "done", new Date(), `${counts.orders} orders, ${counts.refunds} refunds, ${counts.products} products imported`);
        return counts;
      }
      if (["FAILED", "CANCELED", "EXPIRED"].includes(status.status)) {
        throw new Error(`bulk operation ${status.status.toLowerCase()} (${status.errorCode ?? "no code"})`);
      }
      await sleep(deps.pollMs ?? 2000);
    }
  } catch (error) {
    log.error("order import failed", { shop, jobId, error: errorName(error) });
    await finishJob(shop, jobId, "failed", new Date(), error instanceof Error ? error.message.slice(0, 200) : "failed");
    throw error;
  }
}

export async function latestImportJob(shop: string) {
  return latestJob(shop, "order-import");
}
