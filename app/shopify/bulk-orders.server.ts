import type { AdminGraphql } from "./admin-client.server";
import { runAdminQuery, AdminApiError } from "./admin-client.server";
import type { AdminUserError } from "./user-errors";

/**
 * The order fields the ingest service needs, as a bulk query (line items come back as separate JSONL lines;
 * fulfilments and refunds, list fields, inline).
 */
function ordersQuery(since: Date | null) {
  const filter = since ? `(query: "updated_at:>='${since.toISOString()}'")` : "";
  return `{
    orders${filter} {
      edges { node {
        id name createdAt updatedAt processedAt cancelledAt test displayFinancialStatus
        currencyCode presentmentCurrencyCode
        totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
        customer { id firstName lastName email }
        refunds { id createdAt totalRefundedSet { shopMoney { amount currencyCode } } }
        fulfillments { createdAt updatedAt status displayStatus deliveredAt }
        lineItems { edges { node {
          id title quantity product { id }
          originalUnitPriceSet { shopMoney { amount currencyCode } }
        } } }
      } }
    }
  }`;
}

const BULK_ORDERS_MUTATION = `#graphql
  mutation AfterglowBulkOrders($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation { id status }
      userErrors { field message }
    }
  }
`;

const BULK_OPERATION_STATUS_QUERY = `#graphql
  query AfterglowBulkOperationStatus($id: ID!) {
    node(id: $id) {
      ... on BulkOperation { id status errorCode objectCount rootObjectCount url }
    }
  }
`;

interface BulkOperationStatus {
  id: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "CANCELING" | "EXPIRED";
  errorCode: string | null;
  objectCount: string | number;
  /** The orders in the export (its root objects; line items are counted in objectCount only). */
  rootObjectCount?: string | number | null;
  url: string | null;
}

/** Starts the bulk export of the shop's orders (updated since `since`, or all). Returns the operation id. */
export async function startBulkOrderExport(graphql: AdminGraphql, since: Date | null): Promise<string> {
  const data = await runAdminQuery<{
    bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: AdminUserError[] };
  }>(graphql, BULK_ORDERS_MUTATION, { query: ordersQuery(since) });
  const { bulkOperation, userErrors } = data.bulkOperationRunQuery;
  if (!bulkOperation || userErrors.length) {
    // A fixed message (the import job records it); Shopify's messages ride along as the error's details.
    throw new AdminApiError("bulkOperationRunQuery was refused", userErrors.map((e) => e.message));
  }
  return bulkOperation.id;
}

export async function bulkOperationStatus(graphql: AdminGraphql, id: string): Promise<BulkOperationStatus> {
  const data = await runAdminQuery<{ node: BulkOperationStatus | null }>(graphql, BULK_OPERATION_STATUS_QUERY, { id });
  if (!data.node) throw new AdminApiError("bulk operation not found", id);
  return data.node;
}

/** Streams the lines of the finished operation's JSONL file without holding it in memory. */
export async function* downloadJsonlLines(url: string): AsyncGenerator<string> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`bulk result download failed: HTTP ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim()) yield line;
    }
  }
  buffer += decoder.decode();
  if (buffer.trim()) yield buffer;
}
