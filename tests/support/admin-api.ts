import { STATUS_CODES } from "node:http";
import { CostBucket, planBucket, type ShopPlan, type ThrottleStatus } from "~/domain/admin-cost";

/**
 * The one thing tests stub: Shopify's Admin GraphQL API. Requests to https://<shop>/admin/api/<version>/graphql.json
 * are answered here and recorded, so tests assert on the documents and variables the app sent.
 */
export interface AdminCall {
  shop: string;
  apiVersion: string;
  operation: string;
  query: string;
  variables: Record<string, unknown> | undefined;
}

type Responder = (call: AdminCall) => unknown | Promise<unknown>;

const ADMIN_GRAPHQL = /^https:\/\/([^/]+)\/admin\/api\/([^/]+)\/graphql\.json$/;

const responders = new Map<string, Responder>();
export const adminCalls: AdminCall[] = [];

export interface AdminFailure {
  /** HTTP status to answer with (e.g. 503, 429, 401). 200 with `errors` makes a GraphQL-level error (e.g. THROTTLED). */
  status?: number;
  /** Sent as the Retry-After header (seconds). */
  retryAfter?: number;
  /** GraphQL `errors` for the body; default `"<status text>"` as Shopify answers for HTTP errors. */
  errors?: unknown;
  /** Extra top-level body fields, e.g. `extensions: { cost: … }` for a THROTTLED answer. */
  extensions?: unknown;
  /** Fail like an unreachable host (fetch rejects) instead of answering. */
  network?: boolean;
  /** How many calls fail before the stub answers again (default 1; Infinity for always). */
  times?: number;
}

const failures = new Map<string, Required<Pick<AdminFailure, "times">> & AdminFailure>();

/** Answers `operation` (the GraphQL operation name) with `{ data: respond(call) }`. */
export function stubAdminOperation(operation: string, respond: Responder) {
  responders.set(operation, respond);
}

/**
 * Makes the next `times` calls of `operation` fail (HTTP status, GraphQL errors or a network error); later calls
 * are answered by the operation's stub again. Failed calls are recorded in `adminCalls` too.
 */
export function failAdminOperation(operation: string, failure: AdminFailure) {
  failures.set(operation, { ...failure, times: failure.times ?? 1 });
}

/** With a meter, each shop has Shopify's cost bucket of `plan`, timed by `clock` (ms). */
let meter: { bucket: ThrottleStatus; clock: () => number; buckets: Map<string, CostBucket> } | null = null;

/**
 * Meters every call like Shopify: each shop's calls are paid from a leaky bucket of the plan's size and restore rate
 * (app/domain/admin-cost.ts) — or of the bucket given, e.g. a limit Shopify has reduced —, a call the bucket cannot pay
 * for is answered `THROTTLED`, and every answer carries `extensions.cost`. `clock`: the time in ms, real or a test's
 * virtual one. Off again after `resetAdminApi`.
 */
export function meterAdminApi(plan: ShopPlan | ThrottleStatus, clock: () => number = Date.now) {
  meter = { bucket: typeof plan === "string" ? planBucket(plan) : plan, clock, buckets: new Map() };
}

/** Another caller of the shop's bucket (an interactive call the outbox does not see) spends `cost`: false if throttled. */
export function spendFromMeter(shop: string, cost: number): boolean {
  return !meteredShopBucket(shop).take(cost).throttled;
}

function meteredShopBucket(shop: string): CostBucket {
  if (!meter) throw new Error("meterAdminApi first");
  let bucket = meter.buckets.get(shop);
  if (!bucket) meter.buckets.set(shop, (bucket = new CostBucket(meter.bucket, meter.clock)));
  return bucket;
}

export function resetAdminApi() {
  responders.clear();
  failures.clear();
  adminCalls.length = 0;
  meter = null;
}

export function isAdminApiRequest(url: string) {
  return ADMIN_GRAPHQL.test(url);
}

export async function answerAdminApi(url: string, init: RequestInit | undefined): Promise<Response> {
  const [, shop = "", apiVersion = ""] = ADMIN_GRAPHQL.exec(url) ?? [];
  const body = JSON.parse(String(init?.body ?? "{}")) as { query: string; variables?: Record<string, unknown> };
  const operation = /\b(?:query|mutation)\s+([A-Za-z0-9_]+)/.exec(body.query)?.[1] ?? "anonymous";
  const call: AdminCall = { shop, apiVersion, operation, query: body.query, variables: body.variables };
  adminCalls.push(call);
  const failure = failures.get(operation);
  if (failure && failure.times > 0) {
    failure.times -= 1;
    if (failure.network) throw new TypeError("fetch failed");
    const status = failure.status ?? 503;
    const headers = new Headers({ "Content-Type": "application/json" });
    if (failure.retryAfter !== undefined) headers.set("Retry-After", String(failure.retryAfter));
    const body = { errors: failure.errors ?? STATUS_CODES[status] ?? "Error", ...(failure.extensions ? { extensions: failure.extensions } : {}) };
    return new Response(JSON.stringify(body), { status, statusText: STATUS_CODES[status] ?? "", headers });
  }
  const respond = responders.get(operation);
  if (!respond) {
    throw new Error(`Admin API operation ${operation} was called but no test stubbed it (stubAdminOperation).`);
  }
  if (!meter) return Response.json({ data: await respond(call) });
  const { throttled, extensions } = meteredShopBucket(shop).meter(body.query, body.variables);
  if (throttled) return Response.json(throttled);
  return Response.json({ data: await respond(call), extensions });
}

/** The bucket a metered shop has now (see `meterAdminApi`), or undefined. */
export function meteredBucket(shop: string) {
  return meter?.buckets.get(shop)?.status();
}
