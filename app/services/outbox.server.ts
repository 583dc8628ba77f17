import { interactiveReserve, paceDelayMs, type ObservedThrottle } from "~/domain/admin-cost";
import { env } from "~/env.server";
import { errorName, log } from "~/logger.server";
import {
  claimDueMessages,
  failPendingMessages,
  isOutboxOperation,
  markDeliveredGroup,
  markFailed,
  releaseClaimedMessages,
  scheduleRetry,
  shopsWithDueMessages,
  type DueMessage,
} from "~/models/outbox.server";
import { getShop } from "~/models/shops.server";
import { isLockConflict } from "~/models/sql-errors";
import { advanceBulkMirrors } from "./bulk-mirror.server";
import { classifyDeliveryError, withTimeout } from "./outbox-failures.server";
import { runTierPerkSync, tierPerkSyncGaveUp } from "./tier-perks.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { adminGraphqlForShop } from "~/shopify/admin-for-shop.server";
import {
  METAFIELDS_PER_CALL,
  outboxOperationCost,
  PermanentAdminError,
  queuedMetafields,
  runOutboxOperation,
  userErrorOwners,
} from "~/shopify/customer-mirror.server";
import { PERK_CALL_COST } from "~/shopify/perk-discounts.server";

/**
 * Delivers the outbox (app/models/outbox.server.ts): Admin API calls queued by events, run later with retries.
 *
 * Per shop, messages run in id order. A refused call (userErrors, or an HTTP 4xx other than 408/429) is marked
 * failed at once and kept for the merchant; anything else (5xx, 408, 429, network error, timeout, GraphQL
 * THROTTLED, no session yet) is retried with exponential backoff, or at Shopify's Retry-After, and the shop's later
 * messages wait behind it. After MAX_ATTEMPTS the message is marked failed; throttling (HTTP 429, GraphQL THROTTLED)
 * says "later", not "wrong", and does not use an attempt up, so a shop throttled for minutes loses nothing. Nothing is
 * held in memory between runs: every run reads what is due from the database.
 *
 * Pacing (docs/decisions/029-cost-aware-outbox.md): Shopify limits each app-and-store pair by a leaky bucket of cost
 * points, and every answer reports the bucket (`extensions.cost.throttleStatus`). Before each call, a run works out
 * from the last answer what the bucket holds now and waits until it holds the call's cost plus a reserve (a quarter of
 * the bucket) for interactive calls — a shopper redeeming points, a merchant saving a page — so the outbox slows down
 * before Shopify refuses it, and a backlog never drains the bucket under them. A wait longer than MAX_PACE_WAIT_MS
 * ends the shop's run (its messages go out on a later one). Shops are served a few at a time, each from its own bucket.
 *
 * Large backlogs (docs/decisions/033-bulk-mirror.md): the worker first starts or advances each shop's bulk mirror
 * (services/bulk-mirror.server.ts), which takes the customers of a backlog of at least BULK_MIRROR_MIN_CUSTOMERS out
 * of this path; messages of a customer inside an open bulk mirror are not claimed here until it ends.
 */
interface DeliveryReport {
  delivered: number;
  retried: number;
  failed: number;
}

export const MAX_ATTEMPTS = 10;
/**
 * 1, except in the fault suite, which runs the real server with every duration below shrunk (e.g. × 0.02) so that
 * an Admin API outage and its retries fit in seconds. app/env.server.ts accepts the variable only with AFTERGLOW_FAULT_TESTING=1.
 */
const TIME_SCALE = env.AFTERGLOW_TEST_TIME_SCALE ?? 1;
const scaled = (ms: number) => Math.max(1, Math.round(ms * TIME_SCALE));
const BASE_DELAY_MS = scaled(30_000);
const MAX_DELAY_MS = scaled(6 * 60 * 60 * 1000);
/** One Admin API call may take this long before it counts as a failed (retried) attempt. */
const CALL_TIMEOUT_MS = scaled(30_000);
/** A claimed message is invisible to other workers this long; longer than a call can take. */
const LEASE_MS = scaled(5 * 60 * 1000);
const DEFAULT_BATCH = 50;
const DEFAULT_INTERVAL_MS = scaled(15_000);
/** A pacing wait up to this long is waited out in the run; a longer one ends the shop's run until the next. */
const MAX_PACE_WAIT_MS = scaled(10_000);
/**
 * Shops whose messages are delivered at the same time (each has its own Admin API bucket, and one waiting on Shopify
 * does not hold up the others). Their database steps still take turns: see `dbTurn`.
 */
const SHOP_CONCURRENCY = 4;

let dbTail: Promise<unknown> = Promise.resolve();
/**
 * Runs one database step of a delivery run after the run's earlier ones, so a run's shops wait on Shopify together but
 * never take more than one connection and one database core at a time: a run starts with every due shop claiming at
 * once, and four claims side by side held both cores of the benchmark's machine long enough to stall the requests
 * shoppers were waiting on (docs/decisions/052-database-connections.md).
 */
function dbTurn<T>(step: () => Promise<T>): Promise<T> {
  const run = dbTail.then(step, step);
  dbTail = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

/** Backoff after the `attempts`-th failed attempt: min(30 s × 2^(attempts−1), 6 h), plus up to 10 % jitter. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
  return base + Math.floor(random() * base * 0.1);
}

interface RunOptions {
  now: Date;
  batch: number;
  /** Shutdown: once aborted, no further message is started; the claimed ones not started go back to pending. */
  signal?: AbortSignal;
  /** Pacing's clock (ms) and wait: real time, or a test's virtual time. */
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  /** clock() when the run began at `now`: a failure's moment is `now` plus the time the run has taken since. */
  startedAtClock: number;
}

/** The run's `now` moved on by the time spent since it began (a Retry-After counts from the answer, not the run). */
function runTime({ now, clock, startedAtClock }: RunOptions): Date {
  return new Date(now.getTime() + Math.max(0, clock() - startedAtClock));
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One shop's due messages, in id order, stopping at the first one that has to wait. */
async function deliverShop(shop: string, run: RunOptions, report: DeliveryReport): Promise<void> {
  const { now, batch, signal, clock, sleep } = run;
  const stored = await dbTurn(() => getShop(shop));
  if (stored?.uninstalledAt) {
    const failed = await dbTurn(() => failPendingMessages(shop, "shop uninstalled"));
    report.failed += failed;
    log.warn("outbox messages failed: shop uninstalled", { shop, failed });
    return;
  }
  let graphql: AdminGraphql | undefined;
  // One statement claims the run of due messages (FOR UPDATE SKIP LOCKED, leased): another worker finds them leased.
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  const claimed = await dbTurn(() => claimDueMessages(shop, now, leaseUntil, batch));
  /** The run's messages in order; a batch refused for some of its metafields puts the others back at its place. */
  const queue = [...claimed];
  let next = 0;
  /** The messages from here on were not started when the run ended (a shutdown, a long pacing wait, a retry). */
  let unstarted: number | undefined;
  /** The shop's bucket as the last answer reported it. */
  let observed: ObservedThrottle | null = null;
  try {
    while (next < queue.length) {
      if (signal?.aborted) {
        unstarted = next;
        break;
      }
      const message = queue[next]!;
      // Consecutive metafieldsSet messages (different customers: one pending per customer) go as one call of up to 25
      // metafields, for the cost of one mutation.
      const group = metafieldGroup(queue, next);
      const operation = message.operation;
      const variables = group.length === 1 ? message.variables : { metafields: group.flatMap((m) => queuedMetafields(m.variables)) };
      if (observed && isOutboxOperation(operation)) {
        const cost = operation === "tierPerkSync" ? PERK_CALL_COST : outboxOperationCost(operation, variables);
        const wait = paceDelayMs(observed, clock(), cost, interactiveReserve(observed.status));
        if (wait > MAX_PACE_WAIT_MS) {
          unstarted = next;
          break;
        }
        if (wait > 0) await sleep(wait);
        if (signal?.aborted) {
          unstarted = next;
          break;
        }
      }
      // If anything below throws, the group's messages keep their lease (due again when it ends); the rest go back.
      unstarted = next + group.length;
      try {
        if (!isOutboxOperation(operation)) throw new PermanentAdminError(operation, [], "unknown outbox operation");
        graphql ??= await adminGraphqlForShop(shop);
        // A tier perk sync decides its call from its row when it runs (services/tier-perks.server.ts).
        const call =
          operation === "tierPerkSync" ? runTierPerkSync(graphql, shop, variables, runTime(run)) : runOutboxOperation(graphql, operation, variables);
        const throttle = await withTimeout(call, CALL_TIMEOUT_MS);
        if (throttle) observed = { status: throttle, at: clock() };
        // false: the variables were coalesced with newer ones during the call; it is due again and goes next run.
        const delivered = await dbTurn(() => markDeliveredGroup(shop, group, now));
        report.delivered += delivered.size;
        if (delivered.size < group.length) return;
        next += group.length;
        unstarted = undefined;
        continue;
      } catch (error) {
        const refusal = group.length > 1 && error instanceof PermanentAdminError ? error : null;
        const owners = refusal ? userErrorOwners(refusal.userErrors, group.map((m) => queuedMetafields(m.variables).length)) : null;
        if (refusal && owners) {
          // metafieldsSet is atomic: nothing was set. The messages Shopify named fail; the others go again at once.
          const refused = new Set(owners);
          for (const [i, failed] of group.entries()) {
            if (!refused.has(i)) continue;
            const own = new PermanentAdminError(operation, refusal.userErrors.filter((_, e) => owners[e] === i));
            await failMessage(shop, failed, failed.attempts + 1, classifyDeliveryError(operation, own, now).error, now, report);
          }
          queue.splice(next, group.length, ...group.filter((_, i) => !refused.has(i)));
          unstarted = undefined;
          continue;
        }
        if (refusal) {
          // A refusal that names no metafield: each message is sent on its own, to find the one refused.
          queue.splice(next, group.length, ...group.map((m) => ({ ...m, alone: true })));
          unstarted = undefined;
          continue;
        }
        const failedAt = runTime(run);
        const outcome = classifyDeliveryError(operation, error, failedAt);
        let stop = false;
        for (const tried of group) {
          const attempts = !outcome.permanent && outcome.throttled ? tried.attempts : tried.attempts + 1;
          if (outcome.permanent || attempts >= MAX_ATTEMPTS) {
            if (!(await failMessage(shop, tried, attempts, outcome.error, now, report))) stop = true;
            continue;
          }
          const delay = outcome.retryAfterMs !== undefined ? Math.min(outcome.retryAfterMs, MAX_DELAY_MS) : retryDelayMs(attempts);
          await dbTurn(() => scheduleRetry(shop, tried.id, attempts, new Date(failedAt.getTime() + delay), outcome.error));
          report.retried += 1;
          log.warn("outbox message will be retried", { shop, id: tried.id, operation, attempts, delayMs: delay, error: outcome.error });
          // Later messages of this shop wait behind it (id order).
          stop = true;
        }
        if (stop) return;
        next += group.length;
        unstarted = undefined;
      }
    }
  } finally {
    // The claimed messages this run did not get to are due again (behind a retry, if one was scheduled).
    const unsent = queue.slice(unstarted ?? queue.length).map((m) => m.id);
    await dbTurn(() => releaseClaimedMessages(shop, unsent, leaseUntil, now));
  }
}

/**
 * The messages from `start` that go in one call: a run of metafieldsSet messages up to METAFIELDS_PER_CALL metafields
 * in all (a message marked `alone` goes by itself), else the one message.
 */
function metafieldGroup<M extends { operation: string; variables: Record<string, unknown>; alone?: boolean }>(queue: M[], start: number): M[] {
  const first = queue[start]!;
  if (first.operation !== "metafieldsSet" || first.alone) return [first];
  const group = [first];
  let count = queuedMetafields(first.variables).length;
  for (let i = start + 1; i < queue.length; i++) {
    const candidate = queue[i]!;
    const size = queuedMetafields(candidate.variables).length;
    if (candidate.operation !== "metafieldsSet" || candidate.alone || size === 0 || count + size > METAFIELDS_PER_CALL) break;
    group.push(candidate);
    count += size;
  }
  return group;
}

/** Gives a message up (kept failed for the merchant). False when its variables were replaced during the call. */
async function failMessage(shop: string, message: DueMessage, attempts: number, error: string, now: Date, report: DeliveryReport): Promise<boolean> {
  if (!(await dbTurn(() => markFailed(shop, message.id, attempts, error, now, message.variables)))) return false;
  if (message.operation === "tierPerkSync") await tierPerkSyncGaveUp(shop, message.variables, error);
  report.failed += 1;
  log.error("outbox message failed", { shop, id: message.id, operation: message.operation, attempts, error });
  return true;
}

/**
 * Runs every shop's due messages once. Safe to call from any process at any time: claims keep two runs from
 * sending the same message, and a message marked delivered is never sent again.
 */
export async function deliverDueOutbox(
  options: {
    now?: Date;
    batch?: number;
    signal?: AbortSignal;
    clock?: () => number;
    sleep?: (ms: number) => Promise<void>;
  } = {},
): Promise<DeliveryReport> {
  const clock = options.clock ?? Date.now;
  const run: RunOptions = {
    now: options.now ?? new Date(),
    batch: options.batch ?? DEFAULT_BATCH,
    signal: options.signal,
    clock,
    sleep: options.sleep ?? realSleep,
    startedAtClock: clock(),
  };
  const report: DeliveryReport = { delivered: 0, retried: 0, failed: 0 };
  const shops = await shopsWithDueMessages(run.now);
  // A few shops at a time: one shop pacing itself to its bucket does not hold up the others.
  const serve = async () => {
    for (let shop = shops.shift(); shop !== undefined; shop = shops.shift()) {
      if (run.signal?.aborted) return;
      try {
        await deliverShop(shop, run, report);
      } catch (error) {
        // A database problem for one shop must not stop the others; its messages stay queued. Losing a lock conflict
        // to a webhook's transaction (PostgreSQL's deadlock victim, or a serialization failure) is not a fault: the
        // messages go out on a later run, once their lease ends.
        if (isLockConflict(error)) log.warn("outbox delivery for shop deferred by a lock conflict", { shop, error: errorName(error) });
        else log.error("outbox delivery failed for shop", { shop, error: errorName(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SHOP_CONCURRENCY, shops.length) }, serve));
  return report;
}

/**
 * The background loop: runs `deliverDueOutbox` every `intervalMs` (and once right away), never two runs at once.
 * The timer does not keep the process alive. Returns stop(): no run starts afterwards; a run in progress finishes the
 * call it has in flight (bounded by the call timeout), records its outcome, and puts the messages it claimed but did
 * not start back to pending (due at once, for any instance); stop() resolves when it has.
 */
export function startOutboxWorker(intervalMs = DEFAULT_INTERVAL_MS): () => Promise<void> {
  let current: Promise<void> | null = null;
  const stopping = new AbortController();
  const tick = () => {
    if (current || stopping.signal.aborted) return;
    // Large backlogs first: a shop's bulk mirror is started or advanced (decision 033), so the customers it takes
    // are not sent one by one in the same run.
    current = advanceBulkMirrors()
      .then(
        (bulk) => {
          if (bulk.started || bulk.submitted || bulk.completed || bulk.failed) log.info("bulk mirror run", { ...bulk });
        },
        (error: unknown) => log.error("bulk mirror run failed", { error: errorName(error) }),
      )
      .then(() => (stopping.signal.aborted ? { delivered: 0, retried: 0, failed: 0 } : deliverDueOutbox({ signal: stopping.signal })))
      .then((report) => {
        if (report.delivered || report.retried || report.failed) log.info("outbox delivery run", { ...report });
      })
      .catch((error: unknown) => log.error("outbox delivery run failed", { error: errorName(error) }))
      .finally(() => {
        current = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  const first = setTimeout(tick, 0);
  first.unref();
  return async () => {
    stopping.abort();
    clearInterval(timer);
    clearTimeout(first);
    await current;
  };
}
