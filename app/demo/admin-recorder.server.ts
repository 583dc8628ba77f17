import { BULK_MUTATION_LINES_PER_SECOND, bulkLinesDone, CostBucket, planBucket } from "~/domain/admin-cost";
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

/**
 * Bulk mutations, as Shopify runs them (docs/decisions/033-bulk-mirror.md): `stagedUploadsCreate` answers a target on
 * the recorder itself (`demo-recorder://`, taken by `recorderUpload`, nothing leaves the machine), and
 * `bulkOperationRunMutation` runs the staged file's lines at BULK_MUTATION_LINES_PER_SECOND, not at once: its status
 * is RUNNING until the lines are done, then COMPLETED with a result file `recorderDownload` serves (every line
 * accepted). One bulk mutation per shop at a time, like Shopify.
 */
const STAGED_UPLOAD_URL = "demo-recorder://staged-uploads/";
const stagedFiles = new Map<string, string[]>();
const bulkOperations = new Map<string, { field: string; lines: string[]; startedAt: number }>();
let bulkSequence = 0;

function stageUpload(variables: Record<string, unknown> | undefined) {
  const [input] = (variables?.input ?? []) as { filename?: string; resource?: string }[];
  if (input?.resource !== "BULK_MUTATION_VARIABLES") {
    return { stagedUploadsCreate: { stagedTargets: [], userErrors: [{ field: ["input"], message: "The demo only stages bulk mutation variables" }] } };
  }
  const key = `tmp/demo/bulk/${++bulkSequence}/${input.filename ?? "variables.jsonl"}`;
  return {
    stagedUploadsCreate: {
      stagedTargets: [{ url: STAGED_UPLOAD_URL, resourceUrl: null, parameters: [{ name: "key", value: key }, { name: "Content-Type", value: "text/jsonl" }] }],
      userErrors: [],
    },
  };
}

/** The staged upload target: keeps the file's lines under its key. */
export async function recorderUpload(url: string, form: FormData): Promise<Response> {
  const key = form.get("key");
  const file = form.get("file");
  if (url !== STAGED_UPLOAD_URL || typeof key !== "string" || !(file instanceof Blob)) return new Response("bad upload", { status: 400 });
  stagedFiles.set(key, (await file.text()).split("\n").filter((line) => line.trim()));
  return new Response(null, { status: 201 });
}

function bulkStatus(id: string) {
  const operation = bulkOperations.get(id);
  if (!operation) return null;
  const done = bulkLinesDone(operation.lines.length, Date.now() - operation.startedAt, BULK_MUTATION_LINES_PER_SECOND);
  const completed = done === operation.lines.length;
  return { id, status: completed ? "COMPLETED" : "RUNNING", errorCode: null, objectCount: String(done), url: completed ? `demo-recorder://results/${id}` : null, partialDataUrl: null };
}

function runBulkMutation(variables: Record<string, unknown> | undefined) {
  const running = [...bulkOperations.keys()].some((id) => bulkStatus(id)?.status === "RUNNING");
  const lines = stagedFiles.get(String(variables?.stagedUploadPath));
  const field = /\{\s*([A-Za-z_]+)\s*\(/.exec(String(variables?.mutation ?? ""))?.[1];
  const refuse = (message: string) => ({ bulkOperationRunMutation: { bulkOperation: null, userErrors: [{ field: null, message, code: null }] } });
  if (running) return refuse("A bulk mutation operation for this app and shop is already in progress.");
  if (!lines || !field) return refuse("The staged upload or the mutation is missing.");
  const id = `gid://shopify/BulkOperation/${1000 + bulkOperations.size}`;
  bulkOperations.set(id, { field, lines, startedAt: Date.now() });
  return { bulkOperationRunMutation: { bulkOperation: { id, status: "CREATED" }, userErrors: [] } };
}

/** A completed bulk mutation's result file: one accepted result per line. */
export async function* recorderDownload(url: string): AsyncGenerator<string> {
  const operation = bulkOperations.get(url.replace("demo-recorder://results/", ""));
  if (!operation) throw new Error("bulk result download failed: HTTP 404");
  const payload = operation.field === "metafieldsSet" ? { metafields: [], userErrors: [] } : { userErrors: [] };
  for (const [index] of operation.lines.entries()) yield JSON.stringify({ data: { [operation.field]: payload }, __lineNumber: index });
}

/** Reward codes "Shopify" holds in the demo (code → discount id), so a lookup by code finds what was created. */
const rewardCodes = new Map<string, string>();

function createRewardCode(field: "discountCodeBasicCreate" | "discountCodeFreeShippingCreate", input: unknown) {
  const code = String((input as { code?: unknown } | undefined)?.code ?? "").toUpperCase();
  if (!code || rewardCodes.has(code)) {
    return { [field]: { codeDiscountNode: null, userErrors: [{ field: [field === "discountCodeBasicCreate" ? "basicCodeDiscount" : "freeShippingCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }] } };
  }
  const id = `gid://shopify/DiscountCodeNode/${5000 + rewardCodes.size}`;
  rewardCodes.set(code, id);
  return { [field]: { codeDiscountNode: { id }, userErrors: [] } };
}

/** Tier perk segments and automatic discounts "Shopify" holds in the demo (ids), with Shopify's 25-discount limit. */
const segments = new Set<string>();
const automaticDiscounts = new Set<string>();
/** When each automatic discount was created, and the perk key Afterglow marked it with (decision 048). */
const discountCreatedAt = new Map<string, string>();
const discountMarks = new Map<string, string>();
let perkIds = 7000;
const MAX_AUTOMATIC_DISCOUNTS = 25;

function createAutomaticDiscount(field: string) {
  if (automaticDiscounts.size >= MAX_AUTOMATIC_DISCOUNTS) {
    return { [field]: { automaticDiscountNode: null, userErrors: [{ field: null, message: "Your store has reached the limit of 25 active automatic discounts.", code: "MAX_ACTIVE_AUTOMATIC_DISCOUNTS" }] } };
  }
  const id = `gid://shopify/DiscountAutomaticNode/${++perkIds}`;
  automaticDiscounts.add(id);
  discountCreatedAt.set(id, new Date().toISOString());
  return { [field]: { automaticDiscountNode: { id }, userErrors: [] } };
}

/** Updates and deletes accept any id: the sets live in memory, the demo's rows in its database across restarts. */
function updateHeld(held: Set<string>, field: string, node: string, id: unknown) {
  held.add(String(id));
  return { [field]: { [node]: { id }, userErrors: [] } };
}

function deleteHeld(held: Set<string>, field: string, deletedField: string, id: unknown) {
  held.delete(String(id));
  return { [field]: { [deletedField]: id, userErrors: [] } };
}

/** Shopify's return policy profiles as the demo shop's Admin API answers them (the field names of API 2026-10). */
const DEMO_RETURN_PROFILES = [
  { name: null, default: true, returnRules: { canAcceptReturns: true, returnWindowDays: 30, returnWindowStartingFrom: "LAST_ITEM_DELIVERY_DATE" } },
  { name: "Europe", default: false, returnRules: { canAcceptReturns: true, returnWindowDays: 14, returnWindowStartingFrom: "ITEM_DELIVERY_DATE" } },
];

const CANNED: Record<string, Responder> = {
  AfterglowShopProfile: () => ({
    shop: { name: "Afterglow Demo Outfitters", currencyCode: "USD", ianaTimezone: "Europe/Paris", primaryDomain: { host: "demo.afterglow.test", localization: { defaultLocale: "en" } } },
  }),
  AfterglowTagsAdd: () => ({ tagsAdd: { userErrors: [] } }),
  AfterglowTagsRemove: () => ({ tagsRemove: { userErrors: [] } }),
  AfterglowFlowTriggerReceive: () => ({ flowTriggerReceive: { userErrors: [] } }),
  AfterglowShopId: () => ({ shop: { id: "gid://shopify/Shop/1" } }),
  AfterglowSurveyPublish: () => ({
    metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/2", updatedAt: new Date().toISOString() }], userErrors: [] },
  }),
  AfterglowRefundPolicyUpdate: updateRefundPolicy,
  AfterglowShopPolicies: () => ({
    shop: { shopPolicies: refundPolicy ? [{ type: "REFUND_POLICY", ...refundPolicy }] : [] },
    // Shopify's own return rules: the default profile agrees with the demo policy (30 days from delivery); a
    // Europe profile gives 14 days from each item's delivery, so the Returns page shows how a difference reads.
    returnPolicyProfiles: { nodes: DEMO_RETURN_PROFILES },
  }),
  AfterglowStagedUpload: stageUpload,
  AfterglowBulkMutationRun: runBulkMutation,
  AfterglowBulkMutationStatus: (variables) => ({ node: bulkStatus(String(variables?.id)) }),
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
  AfterglowRewardCodeBasicCreate: (variables) => createRewardCode("discountCodeBasicCreate", variables?.basicCodeDiscount),
  AfterglowRewardCodeFreeShippingCreate: (variables) => createRewardCode("discountCodeFreeShippingCreate", variables?.freeShippingCodeDiscount),
  AfterglowRewardCodeByCode: (variables) => {
    const id = rewardCodes.get(String(variables?.code ?? "").toUpperCase());
    return { codeDiscountNodeByCode: id ? { id } : null };
  },
  AfterglowPerkSegmentCreate: () => {
    const id = `gid://shopify/Segment/${++perkIds}`;
    segments.add(id);
    return { segmentCreate: { segment: { id }, userErrors: [] } };
  },
  AfterglowPerkSegmentUpdate: (variables) => updateHeld(segments, "segmentUpdate", "segment", variables?.id),
  AfterglowPerkSegmentDelete: (variables) => deleteHeld(segments, "segmentDelete", "deletedSegmentId", variables?.id),
  AfterglowPerkDiscountBasicCreate: () => createAutomaticDiscount("discountAutomaticBasicCreate"),
  AfterglowPerkDiscountFreeShippingCreate: () => createAutomaticDiscount("discountAutomaticFreeShippingCreate"),
  AfterglowPerkDiscountBasicUpdate: (variables) => updateHeld(automaticDiscounts, "discountAutomaticBasicUpdate", "automaticDiscountNode", variables?.id),
  AfterglowPerkDiscountFreeShippingUpdate: (variables) =>
    updateHeld(automaticDiscounts, "discountAutomaticFreeShippingUpdate", "automaticDiscountNode", variables?.id),
  AfterglowPerkDiscountDelete: (variables) => deleteHeld(automaticDiscounts, "discountAutomaticDelete", "deletedAutomaticDiscountId", variables?.id),
  AfterglowPerkDiscountMark: (variables) => {
    const metafields = (variables?.metafields as { ownerId?: unknown; value?: unknown }[] | undefined) ?? [];
    for (const m of metafields) discountMarks.set(String(m.ownerId), String(m.value));
    return { metafieldsSet: { metafields: metafields.map((_, i) => ({ id: `gid://shopify/Metafield/${++perkIds + i}` })), userErrors: [] } };
  },
  // The automatic discounts held since this process started, with their marks: one page.
  AfterglowEarlierPerkDiscounts: () => ({
    automaticDiscountNodes: {
      nodes: [...automaticDiscounts].map((id) => ({
        id,
        mark: discountMarks.has(id) ? { value: discountMarks.get(id) } : null,
        automaticDiscount: { createdAt: discountCreatedAt.get(id) ?? null },
      })),
      pageInfo: { hasNextPage: false, endCursor: null },
    },
  }),
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
