import { requestedCost } from "~/domain/admin-cost";
import { AdminApiError, runAdminQuery, type AdminGraphql } from "./admin-client.server";
import { downloadJsonlLines } from "./bulk-orders.server";
import type { AdminUserError } from "./user-errors";

/**
 * Shopify's bulk mutations (docs/decisions/033-bulk-mirror.md): the variables of one mutation, one JSON line per
 * execution, are uploaded to a staged upload target (`stagedUploadsCreate` with resource BULK_MUTATION_VARIABLES,
 * then a multipart POST of the file to the target), and `bulkOperationRunMutation` runs the mutation once per line
 * in the background. Its status is polled (`node(id:)`), and when it is COMPLETED its result file (`url`) holds one
 * JSON line per input line: `{"data": {…}, "__lineNumber": n}` (or `errors`). Shopify runs one bulk mutation per
 * app and shop at a time.
 */

export const STAGED_UPLOAD_MUTATION = `#graphql
  mutation AfterglowStagedUpload($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets { url resourceUrl parameters { name value } }
      userErrors { field message }
    }
  }
`;

export const BULK_MUTATION_RUN = `#graphql
  mutation AfterglowBulkMutationRun($mutation: String!, $stagedUploadPath: String!, $clientIdentifier: String) {
    bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath, clientIdentifier: $clientIdentifier) {
      bulkOperation { id status }
      userErrors { field message code }
    }
  }
`;

export const BULK_MUTATION_STATUS = `#graphql
  query AfterglowBulkMutationStatus($id: ID!) {
    node(id: $id) {
      ... on BulkOperation { id status errorCode objectCount url partialDataUrl }
    }
  }
`;

type BulkOperationState = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "CANCELING" | "EXPIRED";

interface BulkMutationStatus {
  id: string;
  status: BulkOperationState;
  errorCode: string | null;
  objectCount: string | number | null;
  url: string | null;
  partialDataUrl: string | null;
}

interface StagedTarget {
  url: string;
  resourceUrl: string | null;
  parameters: { name: string; value: string }[];
}

/** Shopify refused a bulk call (userErrors): e.g. a bulk mutation of this app already runs on the shop. */
export class BulkMutationRefused extends Error {
  override name = "BulkMutationRefused";
  constructor(
    readonly step: "stagedUploadsCreate" | "bulkOperationRunMutation",
    readonly userErrors: AdminUserError[],
  ) {
    super(`${step} refused: ${userErrors.map((e) => e.message).join("; ") || "no bulk operation"}`);
  }
}

/** The staged upload's variables: one JSONL file of bulk mutation variables. */
function stagedUploadVariables(filename: string) {
  return { input: [{ resource: "BULK_MUTATION_VARIABLES", filename, mimeType: "text/jsonl", httpMethod: "POST" }] };
}

/** The documents' requested costs (Shopify's default field costs), for the mirror's cost account. */
export const BULK_CALL_COST = {
  stagedUpload: requestedCost(STAGED_UPLOAD_MUTATION),
  run: requestedCost(BULK_MUTATION_RUN),
  status: requestedCost(BULK_MUTATION_STATUS),
} as const;

/** Moves files to and from Shopify's storage. Real: fetch. The demo build: its recorder (nothing leaves the machine). */
async function transfer(): Promise<{ upload: (url: string, form: FormData) => Promise<Response>; download: (url: string) => AsyncGenerator<string> }> {
  if (__AFTERGLOW_DEMO_BUILD__) {
    const { recorderUpload, recorderDownload } = await import("~/demo/admin-recorder.server");
    return { upload: recorderUpload, download: recorderDownload };
  }
  return { upload: (url, form) => fetch(url, { method: "POST", body: form }), download: downloadJsonlLines };
}

/**
 * Uploads `jsonl` (one JSON object per line, each line ending in a newline) as a staged BULK_MUTATION_VARIABLES file
 * and returns its `stagedUploadPath` (the target's `key` parameter). The file goes as multipart form data: the
 * target's parameters first, then the file.
 */
export async function stageBulkFile(graphql: AdminGraphql, filename: string, jsonl: Blob): Promise<string> {
  const data = await runAdminQuery<{ stagedUploadsCreate: { stagedTargets: StagedTarget[] | null; userErrors: AdminUserError[] } }>(
    graphql,
    STAGED_UPLOAD_MUTATION,
    stagedUploadVariables(filename),
  );
  const { stagedTargets, userErrors } = data.stagedUploadsCreate;
  const target = stagedTargets?.[0];
  if (userErrors.length || !target) throw new BulkMutationRefused("stagedUploadsCreate", userErrors);
  const key = target.parameters.find((p) => p.name === "key")?.value;
  if (!key) throw new AdminApiError("staged upload target has no key", null);
  const form = new FormData();
  for (const { name, value } of target.parameters) form.append(name, value);
  form.append("file", jsonl, filename);
  const { upload } = await transfer();
  const response = await upload(target.url, form);
  // The storage answers 201 (or 204) with an XML body that names the key; the body is not needed.
  if (!response.ok) throw new AdminApiError(`staged upload failed: HTTP ${response.status}`, null);
  return key;
}

/** Starts `mutation` once per line of the staged file. Returns the BulkOperation's gid. */
export async function runBulkMutation(graphql: AdminGraphql, mutation: string, stagedUploadPath: string, clientIdentifier: string): Promise<string> {
  const data = await runAdminQuery<{
    bulkOperationRunMutation: { bulkOperation: { id: string; status: string } | null; userErrors: AdminUserError[] };
  }>(graphql, BULK_MUTATION_RUN, { mutation, stagedUploadPath, clientIdentifier });
  const { bulkOperation, userErrors } = data.bulkOperationRunMutation;
  if (userErrors.length || !bulkOperation) throw new BulkMutationRefused("bulkOperationRunMutation", userErrors);
  return bulkOperation.id;
}

export async function bulkMutationStatus(graphql: AdminGraphql, id: string): Promise<BulkMutationStatus> {
  const data = await runAdminQuery<{ node: BulkMutationStatus | null }>(graphql, BULK_MUTATION_STATUS, { id });
  if (!data.node) throw new AdminApiError("bulk operation not found", id);
  return data.node;
}

/** One line of a bulk mutation's result file. */
export interface BulkResultLine {
  lineNumber: number;
  data: Record<string, unknown> | null;
  errors: unknown[] | null;
}

/** The result file's lines, streamed. Lines that are not JSON objects with a line number are skipped. */
export async function* bulkMutationResults(url: string): AsyncGenerator<BulkResultLine> {
  const { download } = await transfer();
  for await (const text of download(url)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    const row = value as { __lineNumber?: unknown; data?: unknown; errors?: unknown };
    if (typeof row.__lineNumber !== "number") continue;
    yield {
      lineNumber: row.__lineNumber,
      data: row.data !== null && typeof row.data === "object" ? (row.data as Record<string, unknown>) : null,
      errors: Array.isArray(row.errors) ? row.errors : null,
    };
  }
}
