import type { OutboxOperation } from "~/models/outbox.server";
import { requestedCost, type ThrottleStatus } from "~/domain/admin-cost";
import { AdminApiError, runAdminQueryMetered, type AdminGraphql } from "./admin-client.server";
import { FLOW_TRIGGER_RECEIVE_MUTATION } from "./flow-triggers.server";
import { userErrorsMessage, type AdminUserError } from "./user-errors";

/**
 * Mirrors a customer's loyalty standing into Shopify: tier tags (tagsAdd / tagsRemove) and one app-owned JSON
 * metafield (`$app:loyalty.status`). These calls never run inline: services queue them in the outbox
 * (app/models/outbox.server.ts) with the variables built here, and the outbox worker runs them later.
 */

export const TAGS_ADD_MUTATION = `#graphql
  mutation AfterglowTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      userErrors { field message }
    }
  }
`;

export const TAGS_REMOVE_MUTATION = `#graphql
  mutation AfterglowTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      userErrors { field message }
    }
  }
`;

export const METAFIELDS_SET_MUTATION = `#graphql
  mutation AfterglowMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields { id }
      userErrors { field message code elementIndex }
    }
  }
`;

const LOYALTY_METAFIELD = { namespace: "$app:loyalty", key: "status", type: "json" } as const;

function customerGid(customerId: string): string {
  return `gid://shopify/Customer/${customerId}`;
}

export function tagVariables(customerId: string, tag: string): { id: string; tags: string[] } {
  return { id: customerGid(customerId), tags: [tag] };
}

/**
 * The `$app:loyalty.status` metafield: `{ tier, tierSlug, points }` (points the customer can spend), plus, while some
 * of their points wait out a return window, `pending` (how many) and `pendingAvailableAt` (ISO instant the next of
 * them become available). A customer with nothing pending has neither key (docs/decisions/043-pending-points.md).
 */
export function loyaltyMetafieldVariables(
  customerId: string,
  status: { tierName: string | null; tierSlug: string | null; points: number; pending?: number; pendingAvailableAt?: Date | null },
): { metafields: [{ ownerId: string; namespace: string; key: string; type: string; value: string }] } {
  const pending = status.pending && status.pending > 0 ? { pending: status.pending, pendingAvailableAt: status.pendingAvailableAt?.toISOString() ?? null } : {};
  return {
    metafields: [
      {
        ownerId: customerGid(customerId),
        ...LOYALTY_METAFIELD,
        value: JSON.stringify({ tier: status.tierName, tierSlug: status.tierSlug, points: status.points, ...pending }),
      },
    ],
  };
}

/** Shopify's limit of metafields in one metafieldsSet call. */
export const METAFIELDS_PER_CALL = 25;

/** The metafields a queued metafieldsSet sets (none when its variables are not in that shape). */
export function queuedMetafields(variables: Record<string, unknown>): unknown[] {
  return Array.isArray(variables.metafields) ? variables.metafields : [];
}

/**
 * Which of several metafieldsSet messages sent as one call (their metafields in order, `counts[i]` of message i) each
 * userError is about, by its `elementIndex` or else the index in its field path (`["metafields", "3", "value"]`);
 * null when an error names no element (then no message can be told apart from the others).
 */
export function userErrorOwners(userErrors: AdminUserError[], counts: number[]): number[] | null {
  const owners: number[] = [];
  for (const error of userErrors) {
    const fromPath = error.field?.[0] === "metafields" ? Number(error.field[1]) : Number.NaN;
    const index = typeof error.elementIndex === "number" ? error.elementIndex : fromPath;
    if (!Number.isInteger(index) || index < 0) return null;
    let start = 0;
    const owner = counts.findIndex((count) => index < (start += count));
    if (owner < 0) return null;
    owners.push(owner);
  }
  return owners;
}

/**
 * Shopify understood the call and refused it (`userErrors`): sending the same call again cannot succeed, so the
 * outbox marks the message failed instead of retrying. The message carries Shopify's own text only.
 */
export class PermanentAdminError extends Error {
  override name = "PermanentAdminError";
  constructor(
    readonly operation: string,
    readonly userErrors: AdminUserError[],
    message = userErrorsMessage(userErrors),
  ) {
    super(message || "rejected");
  }
}

/** The operations that are one fixed document (a tier perk sync decides its call when it runs: services/tier-perks.server.ts). */
type DocumentOperation = Exclude<OutboxOperation, "tierPerkSync">;

const DOCUMENTS: Record<DocumentOperation, { document: string; field: string }> = {
  tagsAdd: { document: TAGS_ADD_MUTATION, field: "tagsAdd" },
  tagsRemove: { document: TAGS_REMOVE_MUTATION, field: "tagsRemove" },
  metafieldsSet: { document: METAFIELDS_SET_MUTATION, field: "metafieldsSet" },
  flowTriggerReceive: { document: FLOW_TRIGGER_RECEIVE_MUTATION, field: "flowTriggerReceive" },
};

/** The points a queued operation asks of the shop's Admin API bucket (Shopify's default costs: 10 per mutation). */
export function outboxOperationCost(operation: OutboxOperation, variables: Record<string, unknown>): number {
  const entry = Object.hasOwn(DOCUMENTS, operation) ? DOCUMENTS[operation as DocumentOperation] : undefined;
  return entry ? requestedCost(entry.document, variables) : 0;
}

/**
 * Runs one queued operation and returns the throttle status Shopify answered with (null when the answer carried
 * none), which the outbox paces its next call by. Non-empty `userErrors` throw a `PermanentAdminError`; transport and
 * HTTP failures (and GraphQL-level errors such as THROTTLED) propagate as thrown by the client, for the outbox to
 * classify.
 */
export async function runOutboxOperation(
  graphql: AdminGraphql,
  operation: OutboxOperation,
  variables: Record<string, unknown>,
): Promise<ThrottleStatus | null> {
  const entry = Object.hasOwn(DOCUMENTS, operation) ? DOCUMENTS[operation as DocumentOperation] : undefined;
  if (!entry) throw new PermanentAdminError(String(operation), [], `unknown outbox operation`);
  const { data, throttle } = await runAdminQueryMetered<Record<string, { userErrors?: AdminUserError[] } | null | undefined>>(
    graphql,
    entry.document,
    variables,
  );
  const payload = data[entry.field];
  if (!payload) throw new AdminApiError(`${entry.field} returned no payload`, null);
  if (payload.userErrors?.length) throw new PermanentAdminError(operation, payload.userErrors);
  return throttle;
}

/**
 * The mutation a bulk mirror stage runs once per JSONL line (docs/decisions/033-bulk-mirror.md): the outbox's own
 * documents, so a line's variables are exactly what the per-customer call would have sent. The field names the
 * mutation's payload in each result line (`data[field].userErrors`).
 */
export function bulkMirrorDocument(operation: DocumentOperation): { mutation: string; field: string } {
  const entry = DOCUMENTS[operation];
  return { mutation: entry.document.replace(/^\s*#graphql\s*/, "").trim(), field: entry.field };
}
