import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AdminApiError } from "~/shopify/admin-client.server";
import { PermanentAdminError } from "~/shopify/customer-mirror.server";
import { classifyDeliveryError, MAX_ERROR_LENGTH, withTimeout } from "./outbox-failures.server";
import { retryDelayMs } from "./outbox.server";

const NOW = new Date("2026-12-05T10:00:00Z");

/** @shopify/shopify-api's HttpResponseError, as the outbox sees it: a `response` with a numeric code. */
const httpError = (response: Record<string, unknown>) => Object.assign(new Error("Received an error response"), { response });

/** @shopify/shopify-api's GraphqlQueryError: the answer's body with `errors.graphQLErrors`. */
const graphqlQueryError = (graphQLErrors: unknown[], extensions?: unknown) =>
  Object.assign(new Error("GraphQL Client: an error occurred"), { body: { errors: { graphQLErrors }, ...(extensions ? { extensions } : {}) } });

const throttled = [{ message: "Throttled", extensions: { code: "THROTTLED" } }];

describe("a refused call", () => {
  it("fails for good on userErrors, naming the operation and Shopify's message", () => {
    const error = new PermanentAdminError("tagsAdd", [{ field: ["tags"], message: "Tag is too long" }]);
    expect(classifyDeliveryError("tagsAdd", error, NOW)).toEqual({ permanent: true, error: "tagsAdd: userErrors: tags Tag is too long" });
  });

  it("fails for good on an HTTP 4xx other than 408 and 429, from 400 to 499", () => {
    for (const code of [400, 403, 404, 499]) {
      expect(classifyDeliveryError("metafieldsSet", httpError({ code, statusText: "Refused" }), NOW)).toEqual({
        permanent: true,
        error: `metafieldsSet: HTTP ${code} Refused`,
      });
    }
  });

  it("fails for good on a thrown Response of such a status", () => {
    const response = new Response(null, { status: 404, statusText: "Not Found" });
    expect(classifyDeliveryError("tagsRemove", response, NOW)).toEqual({ permanent: true, error: "tagsRemove: HTTP 404 Not Found" });
  });
});

describe("a call to retry", () => {
  it("retries when the shop has no offline session yet, with no wait of Shopify's", () => {
    expect(classifyDeliveryError("tagsAdd", new SessionNotFoundError("no session"), NOW)).toEqual({
      permanent: false,
      error: "tagsAdd: no offline session for the shop",
    });
  });

  it("retries an HTTP 408, 5xx and 3xx, throttled only on 429, and names the status alone when it has no text", () => {
    expect(classifyDeliveryError("tagsAdd", httpError({ code: 408, statusText: "Request Timeout" }), NOW)).toEqual({
      permanent: false,
      error: "tagsAdd: HTTP 408 Request Timeout",
      retryAfterMs: undefined,
      throttled: false,
    });
    expect(classifyDeliveryError("tagsAdd", httpError({ code: 502 }), NOW)).toEqual({
      permanent: false,
      error: "tagsAdd: HTTP 502",
      retryAfterMs: undefined,
      throttled: false,
    });
    expect(classifyDeliveryError("tagsAdd", httpError({ code: 399, statusText: 7 }), NOW)).toMatchObject({ permanent: false, error: "tagsAdd: HTTP 399" });
    expect(classifyDeliveryError("tagsAdd", httpError({ code: 429, statusText: "Too Many Requests" }), NOW)).toEqual({
      permanent: false,
      error: "tagsAdd: HTTP 429 Too Many Requests",
      retryAfterMs: undefined,
      throttled: true,
    });
  });

  it("waits as Retry-After says: seconds, an HTTP date, the library's number before the header", () => {
    const waitOf = (response: Record<string, unknown>) => (classifyDeliveryError("tagsAdd", httpError({ code: 503, ...response }), NOW) as { retryAfterMs?: number }).retryAfterMs;
    expect(waitOf({ headers: { "Retry-After": "7" } })).toBe(7000);
    expect(waitOf({ headers: { "Retry-After": ["12", "30"] } })).toBe(12_000);
    expect(waitOf({ headers: { "Retry-After": "0" } })).toBe(0);
    expect(waitOf({ headers: { "Retry-After": "Sat, 05 Dec 2026 10:00:30 GMT" } })).toBe(30_000);
    // a date already past: at once
    expect(waitOf({ headers: { "Retry-After": "Sat, 05 Dec 2026 09:59:00 GMT" } })).toBe(0);
    expect(waitOf({ retryAfter: 3, headers: { "Retry-After": "9" } })).toBe(3000);
    expect(waitOf({ retryAfter: 0 })).toBe(0);
    // what is not a wait is no wait
    for (const value of [-5, Number.NaN, Number.POSITIVE_INFINITY]) expect(waitOf({ retryAfter: value })).toBeUndefined();
    for (const value of ["-5", "", "   ", "soon", "Infinity"]) expect(waitOf({ headers: { "Retry-After": value } })).toBeUndefined();
    expect(waitOf({ headers: "Retry-After: 5" })).toBeUndefined();
  });

  it("reads Retry-After from a thrown Response", () => {
    const response = new Response(null, { status: 429, statusText: "Too Many Requests", headers: { "Retry-After": "4" } });
    expect(classifyDeliveryError("tagsAdd", response, NOW)).toEqual({ permanent: false, error: "tagsAdd: HTTP 429 Too Many Requests", retryAfterMs: 4000, throttled: true });
  });

  it("retries GraphQL errors, waiting on THROTTLED for the missing points at the restore rate, at least a second", () => {
    const metered = (requestedQueryCost: number, currentlyAvailable: number) =>
      new AdminApiError("Admin API answered with errors", throttled, {
        requestedQueryCost,
        actualQueryCost: null,
        status: { maximumAvailable: 1000, currentlyAvailable, restoreRate: 50 },
      });
    expect(classifyDeliveryError("metafieldsSet", metered(400, 100), NOW)).toEqual({
      permanent: false,
      error: "metafieldsSet: GraphQL THROTTLED Throttled",
      retryAfterMs: 6000,
      throttled: true,
    });
    expect(classifyDeliveryError("metafieldsSet", metered(60, 50), NOW)).toMatchObject({ retryAfterMs: 1000 });
    expect(classifyDeliveryError("metafieldsSet", metered(50, 50), NOW)).toMatchObject({ retryAfterMs: 1000 });
    // THROTTLED without the cost extension: no wait of Shopify's (the backoff decides)
    expect(classifyDeliveryError("metafieldsSet", new AdminApiError("errors", throttled), NOW)).toEqual({
      permanent: false,
      error: "metafieldsSet: GraphQL THROTTLED Throttled",
      retryAfterMs: undefined,
      throttled: true,
    });
  });

  it("names each GraphQL code once and the first message, and retries other codes without a wait", () => {
    const errors = [{ extensions: { code: "INTERNAL_SERVER_ERROR" } }, { message: "Internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }, { message: "later", extensions: { code: "MAX_COST_EXCEEDED" } }, { message: "no code" }];
    expect(classifyDeliveryError("tagsAdd", new AdminApiError("errors", errors), NOW)).toEqual({
      permanent: false,
      error: "tagsAdd: GraphQL INTERNAL_SERVER_ERROR,MAX_COST_EXCEEDED Internal error",
      retryAfterMs: undefined,
      throttled: false,
    });
    expect(classifyDeliveryError("tagsAdd", new AdminApiError("errors", [{ message: "Bad" }]), NOW)).toMatchObject({ error: "tagsAdd: GraphQL Bad", throttled: false });
    expect(classifyDeliveryError("tagsAdd", new AdminApiError("errors", "no data"), NOW)).toMatchObject({ error: "tagsAdd: GraphQL GraphQL error" });
  });

  it("reads the library's GraphqlQueryError: its errors, and on THROTTLED the cost in its body", () => {
    const cost = (requestedQueryCost: unknown, throttleStatus: unknown) => ({ cost: { requestedQueryCost, throttleStatus } });
    expect(classifyDeliveryError("tagsAdd", graphqlQueryError(throttled, cost(10, { currentlyAvailable: 0, restoreRate: 2 })), NOW)).toEqual({
      permanent: false,
      error: "tagsAdd: GraphQL THROTTLED Throttled",
      retryAfterMs: 5000,
      throttled: true,
    });
    // a cost it cannot read is no wait
    const unreadable = [
      cost("10", { currentlyAvailable: 0, restoreRate: 2 }),
      cost(10, { currentlyAvailable: "0", restoreRate: 2 }),
      cost(10, { currentlyAvailable: 0, restoreRate: "2" }),
      cost(10, { currentlyAvailable: 0, restoreRate: 0 }),
      cost(10, { currentlyAvailable: 0, restoreRate: -2 }),
      cost(10, null),
      { cost: null },
    ];
    for (const extensions of unreadable) {
      expect(classifyDeliveryError("tagsAdd", graphqlQueryError(throttled, extensions), NOW)).toMatchObject({ retryAfterMs: undefined, throttled: true });
    }
    expect(classifyDeliveryError("tagsAdd", Object.assign(new Error("x"), { body: { errors: throttled, extensions: cost(10, { currentlyAvailable: 0, restoreRate: 2 }) } }), NOW)).toEqual({
      permanent: false,
      error: "tagsAdd: Error: x",
    });
  });

  it("retries anything else, naming its class and message, never its variables", () => {
    expect(classifyDeliveryError("tagsAdd", new TypeError("fetch failed"), NOW)).toEqual({ permanent: false, error: "tagsAdd: TypeError: fetch failed" });
    expect(classifyDeliveryError("tagsAdd", "boom", NOW)).toEqual({ permanent: false, error: "tagsAdd: string: boom" });
    expect(classifyDeliveryError("tagsAdd", null, NOW)).toEqual({ permanent: false, error: "tagsAdd: object: null" });
    expect(classifyDeliveryError("tagsAdd", { response: { code: "503" } }, NOW)).toEqual({ permanent: false, error: "tagsAdd: object: [object Object]" });
  });

  it("stores one line of at most MAX_ERROR_LENGTH characters", () => {
    const exact = "x".repeat(MAX_ERROR_LENGTH - "tagsAdd: TypeError: ".length);
    expect(classifyDeliveryError("tagsAdd", new TypeError(exact), NOW).error).toBe(`tagsAdd: TypeError: ${exact}`);
    const long = classifyDeliveryError("tagsAdd", new TypeError(`${exact}y`), NOW).error;
    expect(long).toBe(`tagsAdd: TypeError: ${exact.slice(0, -1)}…`);
    expect(long).toHaveLength(MAX_ERROR_LENGTH);
    expect(classifyDeliveryError("tagsAdd", new TypeError("  line one\n\n\tline   two  "), NOW).error).toBe("tagsAdd: TypeError: line one line two");
  });
});

describe("a call that takes too long", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is given up after its time, classified as a retry", async () => {
    vi.useFakeTimers();
    const given = withTimeout(new Promise<never>(() => undefined), 1500);
    const outcome = given.then(
      () => null,
      (error: unknown) => classifyDeliveryError("metafieldsSet", error, NOW),
    );
    await vi.advanceTimersByTimeAsync(1499);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toEqual({ permanent: false, error: "metafieldsSet: timed out after 1.5s" });
  });

  it("answers with the call's own result, and leaves no timer behind", async () => {
    vi.useFakeTimers();
    await expect(withTimeout(Promise.resolve("done"), 30_000)).resolves.toBe("done");
    await expect(withTimeout(Promise.reject(new TypeError("fetch failed")), 30_000)).rejects.toThrow("fetch failed");
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("the backoff", () => {
  it("doubles from 30 s per attempt up to 6 h, plus up to a tenth of jitter", () => {
    expect(retryDelayMs(1, () => 0)).toBe(30_000);
    expect(retryDelayMs(1, () => 0.5)).toBe(31_500);
    expect(retryDelayMs(3, () => 0)).toBe(120_000);
    expect(retryDelayMs(0, () => 0)).toBe(30_000);
    expect(retryDelayMs(20, () => 0.999)).toBe(6 * 3_600_000 + Math.floor(0.999 * 6 * 3_600_000 * 0.1));
  });

  it("is shortened by the fault suite's time scale (AFTERGLOW_TEST_TIME_SCALE), so an outage's retries fit in seconds", async () => {
    vi.stubEnv("AFTERGLOW_FAULT_TESTING", "1");
    vi.stubEnv("AFTERGLOW_TEST_TIME_SCALE", "0.02");
    vi.resetModules();
    try {
      const scaled = await import("./outbox.server");
      expect(scaled.retryDelayMs(1, () => 0)).toBe(600);
      expect(scaled.retryDelayMs(20, () => 0)).toBe(432_000);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
