/**
 * Shopify's cost-based throttle of the GraphQL Admin API, as a model the outbox paces itself by and the local Admin API
 * stand-ins (the demo recorder, the tests' stub) enforce. Shopify's rules (shopify.dev, "Shopify API limits"):
 * every app-and-store pair has a leaky bucket of points that refills continuously at the plan's restore rate; a
 * call runs only when the bucket holds its requested cost (else `THROTTLED`), and is refunded the difference between
 * requested and actual cost afterwards; every answer reports `extensions.cost.throttleStatus`.
 */

/** The restore rate of each plan, points per second, as Shopify publishes it. */
const PLAN_RESTORE_RATES = {
  standard: 100,
  advanced: 200,
  plus: 1000,
  enterprise: 2000,
} as const;

export type ShopPlan = keyof typeof PLAN_RESTORE_RATES;

/**
 * The bucket size Shopify reports as `maximumAvailable`. Shopify publishes the restore rates only; its own example
 * answer shows a bucket of 1,000 points at 50 points/s, twenty seconds of restore, and the model keeps that ratio. The
 * outbox never relies on it: it paces by the `throttleStatus` each answer carries.
 */
const BUCKET_SECONDS = 20;

/** A single query may not ask for more than this, whatever the plan. */
export const MAX_QUERY_COST = 1000;

/** What each Admin API answer says about the bucket (`extensions.cost.throttleStatus`). */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** A throttle status and when it was observed (ms since the epoch): what the bucket held then. */
export interface ObservedThrottle {
  status: ThrottleStatus;
  at: number;
}

/** A full bucket of the plan. */
export function planBucket(plan: ShopPlan): ThrottleStatus {
  const restoreRate = PLAN_RESTORE_RATES[plan];
  return { maximumAvailable: restoreRate * BUCKET_SECONDS, currentlyAvailable: restoreRate * BUCKET_SECONDS, restoreRate };
}

/** What the bucket holds at `now`, from what it held when observed: refilled at the restore rate, up to the bucket size. */
export function availableAt(observed: ObservedThrottle, now: number): number {
  const { maximumAvailable, currentlyAvailable, restoreRate } = observed.status;
  const elapsedMs = Math.max(0, now - observed.at);
  return Math.min(maximumAvailable, currentlyAvailable + (elapsedMs * restoreRate) / 1000);
}

/**
 * How long (ms) a background caller waits before a call of `cost` points so that, after the call, the bucket still
 * holds `reserve` points for interactive calls (a shopper's redemption, a merchant's save). 0 when it can go now, or
 * when nothing was observed yet (the first answer tells). A reserve larger than the bucket allows is capped, so the
 * caller always makes progress.
 */
export function paceDelayMs(observed: ObservedThrottle | null, now: number, cost: number, reserve: number): number {
  if (!observed) return 0;
  const { maximumAvailable, restoreRate } = observed.status;
  if (!(restoreRate > 0)) return 0;
  const needed = Math.min(cost + Math.max(0, reserve), maximumAvailable);
  const missing = needed - availableAt(observed, now);
  return missing <= 0 ? 0 : Math.ceil((missing / restoreRate) * 1000);
}

/** Points the outbox leaves in the bucket for interactive calls: a quarter of it. */
const INTERACTIVE_RESERVE_SHARE = 0.25;

export function interactiveReserve(status: ThrottleStatus): number {
  return Math.floor(status.maximumAvailable * INTERACTIVE_RESERVE_SHARE);
}

/** Reads `extensions.cost` from an Admin API answer body; null when it carries none (or not in Shopify's shape). */
export function throttleStatusOf(body: unknown): { requestedQueryCost: number | null; actualQueryCost: number | null; status: ThrottleStatus } | null {
  if (!isRecord(body) || !isRecord(body.extensions) || !isRecord(body.extensions.cost)) return null;
  const cost = body.extensions.cost;
  const status = cost.throttleStatus;
  if (!isRecord(status)) return null;
  const { maximumAvailable, currentlyAvailable, restoreRate } = status;
  if (!isCount(maximumAvailable) || !isCount(currentlyAvailable) || !isCount(restoreRate)) return null;
  return {
    requestedQueryCost: isCount(cost.requestedQueryCost) ? cost.requestedQueryCost : null,
    actualQueryCost: isCount(cost.actualQueryCost) ? cost.actualQueryCost : null,
    status: { maximumAvailable, currentlyAvailable, restoreRate },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

/**
 * The requested cost of a document under Shopify's default field costs: 10 for each mutation field, 1 for each object
 * a query selects, and a connection sized by its `first`/`last` argument (its page's objects plus 2). A model for the
 * stand-ins and for pacing before the first answer; the real figure is the one Shopify answers with.
 */
export function requestedCost(document: string, variables: Record<string, unknown> = {}): number {
  const body = document.replace(/#[^\n]*/g, "");
  const operation = /\b(query|mutation)\b/.exec(body)?.[1] ?? "query";
  const open = body.indexOf("{");
  if (open < 0) return 1;
  const fields = topLevelFields(body.slice(open + 1));
  if (operation === "mutation") return Math.min(MAX_QUERY_COST, Math.max(1, fields.length) * 10);
  let cost = 0;
  for (const field of fields) {
    const size = /\b(?:first|last)\s*:\s*(\$?\w+)/.exec(field.args)?.[1];
    const page = size === undefined ? undefined : size.startsWith("$") ? Number(variables[size.slice(1)]) : Number(size);
    cost += page !== undefined && Number.isFinite(page) ? page + 2 : 1;
  }
  return Math.min(MAX_QUERY_COST, Math.max(1, cost));
}

/** The top-level fields of a selection set (the text after its opening brace), each as its argument text. */
function topLevelFields(selection: string): { args: string }[] {
  const fields: { args: string }[] = [];
  let depth = 0;
  let parens = 0;
  for (let i = 0; i < selection.length; i++) {
    const char = selection[i]!;
    if (char === "(") parens += 1;
    if (char === ")") parens -= 1;
    const field = fields.at(-1);
    if (parens > 0 && depth === 0 && field) field.args += char;
    if (parens > 0 || char === ")") continue;
    if (char === "{") depth += 1;
    else if (char === "}") {
      if (depth === 0) break;
      depth -= 1;
    } else if (depth === 0 && /[A-Za-z_]/.test(char)) {
      // A name is read whole (the loop resumes after it); `alias: field` counts once, as the field.
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(selection.slice(i))![0];
      if (!selection.slice(i + name.length).trimStart().startsWith(":")) fields.push({ args: "" });
      i += name.length - 1;
    }
  }
  return fields;
}

/**
 * The leaky bucket itself, as Shopify runs it for one app-and-store pair: for the stand-ins. `clock` gives the time in
 * ms (tests pass a virtual one).
 */
export class CostBucket {
  private observed: ObservedThrottle;

  constructor(
    status: ThrottleStatus,
    private readonly clock: () => number = Date.now,
  ) {
    this.observed = { status: { ...status }, at: clock() };
  }

  /** The bucket's state now. */
  status(): ThrottleStatus {
    const now = this.clock();
    const currentlyAvailable = Math.floor(availableAt(this.observed, now));
    return { ...this.observed.status, currentlyAvailable };
  }

  /**
   * Takes `requested` points if the bucket holds them (then refunds `requested - actual`), and says what to answer:
   * `throttled` when it does not, or the query is over the single-query limit.
   */
  take(requested: number, actual = requested): { throttled: boolean; status: ThrottleStatus } {
    const now = this.clock();
    const available = availableAt(this.observed, now);
    if (requested > MAX_QUERY_COST || available < requested) {
      this.observed = { status: { ...this.observed.status, currentlyAvailable: available }, at: now };
      return { throttled: true, status: this.status() };
    }
    // The requested cost is taken before the call runs; the difference to the actual cost comes back after it.
    const left = available - Math.min(Math.max(0, actual), requested);
    this.observed = { status: { ...this.observed.status, currentlyAvailable: left }, at: now };
    return { throttled: false, status: this.status() };
  }

  /**
   * One call of `document`, metered as Shopify meters it: `throttled` is the whole `THROTTLED` answer when the bucket
   * cannot pay for it (null otherwise), `extensions` what any other answer carries.
   */
  meter(document: string, variables?: Record<string, unknown>) {
    const requested = requestedCost(document, variables);
    const { throttled, status } = this.take(requested);
    if (throttled) {
      const extensions = costExtension(requested, null, status);
      return { throttled: { errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }], extensions }, extensions };
    }
    return { throttled: null, extensions: costExtension(requested, requested, status) };
  }
}

/** The `extensions.cost` of an answer, in Shopify's shape. */
export function costExtension(requested: number, actual: number | null, status: ThrottleStatus) {
  return { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: status } };
}

/**
 * The rate at which the stand-ins (the demo recorder, the tests' stub) process a bulk mutation's JSONL lines, and the
 * rate the benchmark's mirror figure assumes. Shopify publishes none: this is an assumption, stated wherever a figure
 * depends on it (decision 033, bench/results.md). A bulk operation's lines do not draw on the shop's cost bucket;
 * only the calls that stage, start and poll it do.
 */
export const BULK_MUTATION_LINES_PER_SECOND = 200;

/** A simulated bulk operation's progress: lines done after `elapsedMs` at `linesPerSecond`, at most `lines`. */
export function bulkLinesDone(lines: number, elapsedMs: number, linesPerSecond = BULK_MUTATION_LINES_PER_SECOND): number {
  return Math.min(lines, Math.max(0, Math.floor((elapsedMs * linesPerSecond) / 1000)));
}
