import { CostBucket, planBucket } from "~/domain/admin-cost";
import type { AdminGraphql } from "~/shopify/admin-client.server";

/**
 * The demo's stand-in for Shopify's Admin API. Every document the app would send is recorded (the demo shows
 * the log at /app/demo) and answered from a small table of canned answers keyed by operation name; an operation
 * without one is answered with a GraphQL error, so nothing pretends to have succeeded. Like Shopify, it meters every
 * call against the shop's cost bucket (a standard plan's: 100 points/s) and answers `THROTTLED` when the bucket
 * cannot pay for it, with `extensions.cost` in every answer.
 */
interface RecordedCall {
  at: string;
  operation: string;
  query: string;
  variables: Record<string, unknown> | null;
}

type Responder = (variables: Record<string, unknown> | undefined) => unknown;

/** The demo shop's refund policy as "Shopify" holds it: what the last shopPolicyUpdate sent (kept in memory). */
let refundPolicy: { body: string; updatedAt: string } | null = null;

/** Restores the demo's refund policy after a restart (prepare.server.ts passes what was last published). */
export function primeDemoRefundPolicy(body: string, updatedAt: Date) {
  refundPolicy = { body, updatedAt: updatedAt.toISOString() };
}

function updateRefundPolicy(variables: Record<string, unknown> | undefined) {
  const input = (variables?.shopPolicy ?? {}) as { type?: unknown; body?: unknown };
  if (input.type !== "REFUND_POLICY" || typeof input.body !== "string") {
    return { shopPolicyUpdate: { shopPolicy: null, userErrors: [{ field: ["shopPolicy"], message: "The demo only takes a refund policy", code: null }] } };
  }
  refundPolicy = { body: input.body, updatedAt: new Date().toISOString() };
  return { shopPolicyUpdate: { shopPolicy: { type: "REFUND_POLICY", ...refundPolicy }, userErrors: [] } };
}

const CANNED: Record<string, Responder> = {
  AfterglowShopProfile: () => ({
    shop: { name: "Afterglow Demo Outfitters", currencyCode: "USD", ianaTimezone: "Europe/Paris", primaryDomain: { host: "demo.afterglow.test" } },
  }),
  AfterglowTagsAdd: () => ({ tagsAdd: { userErrors: [] } }),
  AfterglowTagsRemove: () => ({ tagsRemove: { userErrors: [] } }),
  AfterglowShopId: () => ({ shop: { id: "gid://shopify/Shop/1" } }),
  AfterglowSurveyPublish: () => ({
    metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/2", updatedAt: new Date().toISOString() }], userErrors: [] },
  }),
  AfterglowRefundPolicyUpdate: updateRefundPolicy,
  AfterglowShopPolicies: () => ({ shop: { shopPolicies: refundPolicy ? [{ type: "REFUND_POLICY", ...refundPolicy }] : [] } }),
  AfterglowMetafieldsSet: () => ({ metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/1" }], userErrors: [] } }),
  // The demo's history is seeded already, so its bulk export finishes with nothing new to import.
  AfterglowBulkOrders: () => ({
    bulkOperationRunQuery: { bulkOperation: { id: "gid://shopify/BulkOperation/1", status: "CREATED" }, userErrors: [] },
  }),
  AfterglowBulkOperationStatus: () => ({
    node: { id: "gid://shopify/BulkOperation/1", status: "COMPLETED", errorCode: null, objectCount: "0", url: null },
  }),
  // Its products came through the seeded products webhooks: the import's product pages are empty.
  AfterglowProducts: () => ({ products: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } }),
};

/** The newest calls kept with their documents; the per-operation totals below count every call ever made. */
const MAX_CALLS = 500;
const calls: RecordedCall[] = [];
const totals = new Map<string, number>();

function operationName(query: string): string {
  return /\b(?:query|mutation)\s+([A-Za-z0-9_]+)/.exec(query)?.[1] ?? "anonymous";
}

/** The demo shop's Admin API bucket, as Shopify keeps it for a shop on the standard plan. */
const bucket = new CostBucket(planBucket("standard"));

export const recordingGraphql: AdminGraphql = async (query, options) => {
  const operation = operationName(query);
  calls.unshift({ at: new Date().toISOString(), operation, query: query.trim(), variables: options?.variables ?? null });
  calls.length = Math.min(calls.length, MAX_CALLS);
  totals.set(operation, (totals.get(operation) ?? 0) + 1);
  const { throttled, extensions } = bucket.meter(query, options?.variables);
  if (throttled) return Response.json(throttled);
  const responder = CANNED[operation];
  const body = responder
    ? { data: responder(options?.variables), extensions }
    : { errors: [{ message: `The demo recorder has no canned answer for ${operation}` }], extensions };
  return Response.json(body);
};

export function recordedCalls(): readonly RecordedCall[] {
  return calls;
}

/** Calls per operation since the server started, most frequent first. */
export function callTotals(): [operation: string, calls: number][] {
  return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
