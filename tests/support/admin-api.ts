import { STATUS_CODES } from "node:http";
import { BULK_MUTATION_LINES_PER_SECOND, bulkLinesDone, CostBucket, planBucket, type ShopPlan, type ThrottleStatus } from "~/domain/admin-cost";

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
/** The access token each call in `adminCalls` carried (X-Shopify-Access-Token), in the same order. */
export const adminCallTokens: (string | null)[] = [];

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
  /** Runs as the failing call is answered, e.g. to move a test's virtual clock on by the call's duration. */
  onCall?: () => void;
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
  adminCallTokens.length = 0;
  meter = null;
  stagedUploads.length = 0;
  bulkOperations.clear();
  bulkResult = null;
}

/**
 * Bulk mutations, as Shopify runs them (app/shopify/bulk-mutation.server.ts): `simulateBulkMutations` answers
 * stagedUploadsCreate with a target on STAGED_UPLOAD_URL, which takes the multipart upload here (`stagedUploads`
 * records each: its form fields and JSONL lines); bulkOperationRunMutation runs the staged lines at a stated rate on
 * the test's clock (RUNNING until they are done, then COMPLETED, or the outcome the test asks for), one bulk mutation
 * per shop at a time (a second is refused with Shopify's message); the result file is served at BULK_RESULTS_URL, one
 * line per input line, from the test's `result` (default: accepted).
 */
export const STAGED_UPLOAD_URL = "https://shopify-staged-uploads.storage.googleapis.com/";
export const BULK_RESULTS_URL = "https://storage.googleapis.com/shopify-bulk-results/";

export interface StagedUpload {
  shop: string;
  fields: Record<string, string>;
  filename: string;
  lines: Record<string, unknown>[];
}
export const stagedUploads: StagedUpload[] = [];

interface SimulatedBulk {
  id: string;
  shop: string;
  mutation: string;
  field: string;
  lines: Record<string, unknown>[];
  startedAt: number;
  outcome: "COMPLETED" | "FAILED" | "CANCELED" | "EXPIRED";
}
const bulkOperations = new Map<string, SimulatedBulk>();
let bulkResult: BulkSimulation["result"] | null = null;

export interface BulkSimulation {
  /** Lines processed per second (default: BULK_MUTATION_LINES_PER_SECOND, the rate the benchmark assumes). */
  linesPerSecond?: number;
  clock?: () => number;
  /** A line's result (`{ data }` or `{ errors }`, without __lineNumber); undefined leaves the line out of the file. */
  result?: (field: string, variables: Record<string, unknown>, index: number) => Record<string, unknown> | undefined;
  /** How the n-th bulk operation (0-based) of the test ends. */
  outcome?: (n: number) => SimulatedBulk["outcome"];
}

export function simulateBulkMutations(simulation: BulkSimulation = {}) {
  const rate = simulation.linesPerSecond ?? BULK_MUTATION_LINES_PER_SECOND;
  const clock = simulation.clock ?? Date.now;
  bulkResult = simulation.result ?? null;
  const state = (op: SimulatedBulk) => {
    const done = bulkLinesDone(op.lines.length, clock() - op.startedAt, rate);
    return { done, status: done < op.lines.length ? "RUNNING" : op.outcome };
  };
  let staged = 0;
  stubAdminOperation("AfterglowStagedUpload", (call) => {
    const [input] = (call.variables?.input ?? []) as { filename: string }[];
    const key = `tmp/shop-${call.shop}/bulk/${++staged}/${input!.filename}`;
    return {
      stagedUploadsCreate: {
        stagedTargets: [
          {
            url: STAGED_UPLOAD_URL,
            resourceUrl: null,
            parameters: [
              { name: "Content-Type", value: "text/jsonl" },
              { name: "success_action_status", value: "201" },
              { name: "key", value: key },
              { name: "x-goog-signature", value: "stub-signature" },
            ],
          },
        ],
        userErrors: [],
      },
    };
  });
  stubAdminOperation("AfterglowBulkMutationRun", (call) => {
    const running = [...bulkOperations.values()].some((op) => op.shop === call.shop && state(op).status === "RUNNING");
    if (running) {
      return { bulkOperationRunMutation: { bulkOperation: null, userErrors: [{ field: null, message: "A bulk mutation operation for this app and shop is already in progress.", code: "OPERATION_IN_PROGRESS" }] } };
    }
    const upload = stagedUploads.find((u) => u.fields.key === call.variables?.stagedUploadPath);
    if (!upload) return { bulkOperationRunMutation: { bulkOperation: null, userErrors: [{ field: ["stagedUploadPath"], message: "Invalid staged upload path", code: "NO_SUCH_FILE" }] } };
    const mutation = String(call.variables?.mutation);
    const field = /\{\s*([A-Za-z_]+)\s*\(/.exec(mutation)?.[1] ?? "unknown";
    const id = `gid://shopify/BulkOperation/${9000 + bulkOperations.size}`;
    const outcome = simulation.outcome?.(bulkOperations.size) ?? "COMPLETED";
    bulkOperations.set(id, { id, shop: call.shop, mutation, field, lines: upload.lines, startedAt: clock(), outcome });
    return { bulkOperationRunMutation: { bulkOperation: { id, status: "CREATED" }, userErrors: [] } };
  });
  stubAdminOperation("AfterglowBulkMutationStatus", (call) => {
    const op = bulkOperations.get(String(call.variables?.id));
    if (!op) return { node: null };
    const { done, status } = state(op);
    const url = status === "COMPLETED" ? `${BULK_RESULTS_URL}${encodeURIComponent(op.id)}` : null;
    return { node: { id: op.id, status, errorCode: status === "FAILED" ? "INTERNAL_SERVER_ERROR" : null, objectCount: String(done), url, partialDataUrl: null } };
  });
  return {
    /** The lines each simulated operation ran, with its mutation, in the order they were started. */
    operations: () => [...bulkOperations.values()].map((op) => ({ id: op.id, shop: op.shop, mutation: op.mutation, lines: op.lines })),
  };
}

async function answerStorage(url: string, init: RequestInit | undefined): Promise<Response> {
  if (url === STAGED_UPLOAD_URL) {
    const form = init?.body;
    if (!(form instanceof FormData) || init?.method !== "POST") return new Response("expected a multipart POST", { status: 400 });
    const file = form.get("file");
    const fields: Record<string, string> = {};
    for (const [name, value] of form.entries()) if (typeof value === "string") fields[name] = value;
    if (!(file instanceof Blob) || !fields.key) return new Response("missing file or key", { status: 400 });
    const text = await file.text();
    const shop = /^tmp\/shop-([^/]+)\//.exec(fields.key)?.[1] ?? "";
    const filename = file instanceof File ? file.name : "";
    stagedUploads.push({ shop, fields, filename, lines: text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>) });
    return new Response(`<PostResponse><Key>${fields.key}</Key></PostResponse>`, { status: 201 });
  }
  const op = bulkOperations.get(decodeURIComponent(url.slice(BULK_RESULTS_URL.length)));
  if (!op) return new Response("not found", { status: 404 });
  const accepted = (field: string) => ({ data: { [field]: field === "metafieldsSet" ? { metafields: [], userErrors: [] } : { userErrors: [] } } });
  const result = bulkResult ?? accepted;
  const lines = op.lines
    .map((variables, index) => [result(op.field, variables, index), index] as const)
    .filter(([line]) => line !== undefined)
    .map(([line, index]) => JSON.stringify({ ...line, __lineNumber: index }));
  return new Response(lines.join("\n") + "\n", { status: 200, headers: { "Content-Type": "application/jsonl" } });
}

export function isAdminApiRequest(url: string) {
  return ADMIN_GRAPHQL.test(url) || url === STAGED_UPLOAD_URL || url.startsWith(BULK_RESULTS_URL);
}

export async function answerAdminApi(url: string, init: RequestInit | undefined): Promise<Response> {
  if (url === STAGED_UPLOAD_URL || url.startsWith(BULK_RESULTS_URL)) return answerStorage(url, init);
  const [, shop = "", apiVersion = ""] = ADMIN_GRAPHQL.exec(url) ?? [];
  const body = JSON.parse(String(init?.body ?? "{}")) as { query: string; variables?: Record<string, unknown> };
  const operation = /\b(?:query|mutation)\s+([A-Za-z0-9_]+)/.exec(body.query)?.[1] ?? "anonymous";
  const call: AdminCall = { shop, apiVersion, operation, query: body.query, variables: body.variables };
  adminCalls.push(call);
  adminCallTokens.push(new Headers(init?.headers).get("X-Shopify-Access-Token"));
  const failure = failures.get(operation);
  if (failure && failure.times > 0) {
    failure.times -= 1;
    failure.onCall?.();
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
