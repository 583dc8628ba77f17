import { STATUS_CODES } from "node:http";

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

export function resetAdminApi() {
  responders.clear();
  failures.clear();
  adminCalls.length = 0;
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
  return Response.json({ data: await respond(call) });
}
