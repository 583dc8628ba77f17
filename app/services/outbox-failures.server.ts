import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import type { HttpResponseError } from "@shopify/shopify-api";
import { errorName } from "~/logger.server";
import { AdminApiError } from "~/shopify/admin-client.server";
import { PermanentAdminError } from "~/shopify/customer-mirror.server";

// What a failed outbox call means (services/outbox.server.ts delivers, this decides): refused for good, or retried,
// when, and whether Shopify was throttling (which uses no attempt up).

/** The longest error text stored on a message (one line; longer ones end with "…"). */
export const MAX_ERROR_LENGTH = 300;

type Outcome =
  | { permanent: true; error: string }
  | {
      permanent: false;
      error: string;
      retryAfterMs?: number;
      throttled?: boolean;
    };

class OutboxTimeoutError extends Error {
  override name = "OutboxTimeoutError";
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_ERROR_LENGTH ? `${oneLine.slice(0, MAX_ERROR_LENGTH - 1)}…` : oneLine;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object";
}

/** Seconds from a Retry-After value (delta-seconds or an HTTP date), or undefined. */
function retryAfterMs(value: unknown, now: Date): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw === "number") return Number.isFinite(raw) && raw >= 0 ? raw * 1000 : undefined;
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

/** The HTTP status part of an error, from `HttpResponseError` (and its retriable subclasses) or a thrown `Response`. */
function httpFailure(error: unknown, now: Date): { code: number; statusText: string; retryAfterMs?: number } | null {
  if (error instanceof Response) {
    return { code: error.status, statusText: error.statusText, retryAfterMs: retryAfterMs(error.headers.get("Retry-After"), now) };
  }
  if (!isRecord(error) || !isRecord(error.response) || typeof error.response.code !== "number") return null;
  // @shopify/shopify-api HttpResponseError: { response: { code, statusText, headers, retryAfter? } }
  const response = error.response as Partial<HttpResponseError["response"]> & { retryAfter?: unknown };
  const headers = isRecord(response.headers) ? response.headers : {};
  return {
    code: response.code ?? 0,
    statusText: typeof response.statusText === "string" ? response.statusText : "",
    retryAfterMs: retryAfterMs(response.retryAfter ?? headers["Retry-After"], now),
  };
}

interface GraphqlErrorLike {
  message?: unknown;
  extensions?: { code?: unknown };
}

/** GraphQL-level errors: `GraphqlQueryError.body.errors.graphQLErrors`, or the recorder's `AdminApiError.details`. */
function graphqlFailure(error: unknown): { errors: GraphqlErrorLike[]; body: Record<string, unknown> } | null {
  if (error instanceof AdminApiError) {
    const throttle = error.throttle;
    const body = throttle
      ? { extensions: { cost: { requestedQueryCost: throttle.requestedQueryCost, throttleStatus: throttle.status } } }
      : {};
    return { errors: Array.isArray(error.details) ? (error.details as GraphqlErrorLike[]) : [], body };
  }
  // @shopify/shopify-api GraphqlQueryError: { body: { errors: { graphQLErrors: [...] }, extensions? } }
  if (!isRecord(error) || !isRecord(error.body)) return null;
  const body = error.body;
  const errors = isRecord(body.errors) ? body.errors.graphQLErrors : undefined;
  return Array.isArray(errors) ? { errors: errors as GraphqlErrorLike[], body } : null;
}

/** Wait suggested by a THROTTLED answer's cost extension: the points missing at the restore rate. */
function throttleWaitMs(body: Record<string, unknown>): number | undefined {
  const cost = isRecord(body.extensions) && isRecord(body.extensions.cost) ? body.extensions.cost : undefined;
  const status = cost && isRecord(cost.throttleStatus) ? cost.throttleStatus : undefined;
  const requested = cost?.requestedQueryCost;
  const available = status?.currentlyAvailable;
  const rate = status?.restoreRate;
  if (typeof requested !== "number" || typeof available !== "number" || typeof rate !== "number" || rate <= 0) return undefined;
  return Math.max(1000, Math.ceil((requested - available) / rate) * 1000);
}

/**
 * Decides what a failed attempt means. The stored text names the operation and Shopify's status, code and
 * message only: never the variables (customer ids, tags, values).
 */
export function classifyDeliveryError(operation: string, error: unknown, now = new Date()): Outcome {
  const label = (detail: string) => truncate(`${operation}: ${detail}`);
  if (error instanceof PermanentAdminError) return { permanent: true, error: label(`userErrors: ${error.message}`) };
  if (error instanceof SessionNotFoundError) return { permanent: false, error: label("no offline session for the shop") };
  if (error instanceof OutboxTimeoutError) return { permanent: false, error: label(error.message) };
  const http = httpFailure(error, now);
  if (http) {
    const detail = `HTTP ${http.code}${http.statusText ? ` ${http.statusText}` : ""}`;
    if (http.code >= 400 && http.code < 500 && http.code !== 408 && http.code !== 429) return { permanent: true, error: label(detail) };
    return { permanent: false, error: label(detail), retryAfterMs: http.retryAfterMs, throttled: http.code === 429 };
  }
  const graphql = graphqlFailure(error);
  if (graphql) {
    const codes = [...new Set(graphql.errors.map((e) => e.extensions?.code).filter((c): c is string => typeof c === "string"))];
    const message = graphql.errors.map((e) => e.message).find((m): m is string => typeof m === "string") ?? "GraphQL error";
    const throttled = codes.includes("THROTTLED");
    return {
      permanent: false,
      error: label(`GraphQL ${codes.length ? `${codes.join(",")} ` : ""}${message}`),
      retryAfterMs: throttled ? throttleWaitMs(graphql.body) : undefined,
      throttled,
    };
  }
  // Network failures (HttpRequestError, fetch TypeError), HttpMaxRetriesError and anything unforeseen: retry.
  const message = error instanceof Error ? error.message : String(error);
  return { permanent: false, error: label(`${errorName(error)}: ${message}`) };
}

/** `work`, or a rejection (classified as a retry) once it has taken `ms`. */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OutboxTimeoutError(`timed out after ${ms / 1000}s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

