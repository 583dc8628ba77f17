import { isStorableText } from "../text";

/**
 * The Shopify Flow actions Afterglow offers (issue 22, docs/decisions/040-flow-actions.md): one entry per action
 * extension under `extensions/flow-action-<handle>`, with the fields its `shopify.extension.toml` declares, and the
 * parsers of the requests Flow sends to POST /flow/actions/<handle>. Pure and zod-free, like the trigger registry
 * (triggers.ts); `actions.test.ts` reads every action TOML and holds it equal to this registry.
 *
 * Flow's request, as Shopify documents it: `shop_id`, `shopify_domain`, `action_run_id` (the same on Flow's retries
 * of one run), `action_definition_id`, `handle`, and `properties`: one entry per field, keyed by the field's `key`, a
 * reference field as `<resource>_id`. Parsed after the HMAC was verified; every `reason` names fields, never values.
 */

/** The field types the Shopify CLI accepts on a `flow_action` (besides references, it also takes number_integer). */
type FlowActionFieldType = "customer_reference" | "order_reference" | "single_line_text_field" | "number_integer";

interface FlowActionField {
  type: FlowActionFieldType;
  /** Absent for reference fields, sent as `customer_id` / `order_id`. */
  key?: string;
  required: boolean;
}

interface FlowAction {
  /** The extension's `handle` (its folder is `extensions/flow-action-<handle>`, its URL /flow/actions/<handle>). */
  handle: string;
  /** The extension's `name`, as the merchant sees it in Flow. */
  name: string;
  fields: readonly FlowActionField[];
}

/** Points one run may award: the same bound as a staff adjustment on the customer page. */
export const FLOW_AWARD_MAX_POINTS = 100_000;
/** A reason's length, as a staff adjustment's. */
const REASON = { min: 3, max: 200 } as const;
/** The statuses "Set follow-up status" may set (a recovery follow-up's). */
const STATUSES = ["open", "contacted", "resolved"] as const;
type FlowFollowUpStatus = (typeof STATUSES)[number];

export const FLOW_ACTIONS = {
  awardPoints: {
    handle: "award-points",
    name: "Award loyalty points",
    fields: [
      { type: "customer_reference", required: true },
      { type: "number_integer", key: "points", required: true },
      { type: "single_line_text_field", key: "reason", required: true },
    ],
  },
  setFollowUpStatus: {
    handle: "set-follow-up-status",
    name: "Set follow-up status",
    fields: [
      { type: "order_reference", required: true },
      { type: "single_line_text_field", key: "status", required: true },
    ],
  },
} as const satisfies Record<string, FlowAction>;

export type FlowActionHandle = (typeof FLOW_ACTIONS)[keyof typeof FLOW_ACTIONS]["handle"];

/** The action with `handle`, or null for a handle Afterglow does not have. */
export function flowActionByHandle(handle: string): { handle: FlowActionHandle; name: string } | null {
  return Object.values(FLOW_ACTIONS).find((a) => a.handle === handle) ?? null;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

interface FlowActionRequest {
  shopDomain: string;
  /** Shopify's numeric shop id, exact digits; null when the body has none. */
  shopId: string | null;
  actionRunId: string;
  handle: string;
  properties: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** Flow's run ids are UUID-like; anything else that is short and plain is kept as it is. */
const RUN_ID = /^[A-Za-z0-9._:-]{1,255}$/;

/**
 * A Shopify numeric id as exact digits, from a JSON number (safe only), a digit string or a GID of `resource`
 * (`gid://shopify/Customer/123`); null when it is none of these.
 */
export function shopifyIdOf(value: unknown, resource: string): string | null {
  if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? String(value) : null;
  if (typeof value !== "string") return null;
  const digits = value.startsWith(`gid://shopify/${resource}/`) ? value.slice(`gid://shopify/${resource}/`.length) : value;
  return /^[1-9]\d{0,19}$/.test(digits) ? digits : null;
}

/** The envelope of every action request. `payload`: the body parsed losslessly (big ids arrive as digit strings). */
export function parseFlowActionRequest(payload: unknown): Parsed<FlowActionRequest> {
  if (!isRecord(payload)) return { ok: false, reason: "body is not a JSON object" };
  const { shopify_domain: domain, shop_id: shopId, action_run_id: runId, handle, properties } = payload;
  if (typeof domain !== "string" || domain.length > 255) return { ok: false, reason: "shopify_domain must be a string" };
  let id: string | null = null;
  if (shopId !== undefined && shopId !== null) {
    id = shopifyIdOf(shopId, "Shop");
    if (!id) return { ok: false, reason: "shop_id must be a positive integer" };
  }
  if (typeof runId !== "string" || !RUN_ID.test(runId)) return { ok: false, reason: "action_run_id must be a plain string of at most 255 characters" };
  if (typeof handle !== "string" || handle.length > 100) return { ok: false, reason: "handle must be a string" };
  if (!isRecord(properties)) return { ok: false, reason: "properties must be a JSON object" };
  return { ok: true, value: { shopDomain: domain.toLowerCase(), shopId: id, actionRunId: runId, handle, properties } };
}

/** An integer from a JSON number or a string of digits (Flow may send either for a number field). */
function integerOf(value: unknown): number | null {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : null;
  if (typeof value === "string" && /^\s*-?\d{1,9}\s*$/.test(value)) return Number(value.trim());
  return null;
}

interface AwardPoints {
  customerId: string;
  points: number;
  reason: string;
}

/** "Award loyalty points": `customer_id`, `points` (1 to 100,000, whole) and `reason` (3 to 200 characters). */
export function parseAwardPoints(properties: Record<string, unknown>): Parsed<AwardPoints> {
  const customerId = shopifyIdOf(properties.customer_id, "Customer");
  if (!customerId) return { ok: false, reason: "properties.customer_id must be a customer id" };
  const points = integerOf(properties.points);
  if (points === null || points < 1 || points > FLOW_AWARD_MAX_POINTS) {
    return { ok: false, reason: `properties.points must be a whole number from 1 to ${FLOW_AWARD_MAX_POINTS}` };
  }
  const reason = typeof properties.reason === "string" ? properties.reason.trim() : null;
  if (reason === null || reason.length < REASON.min || reason.length > REASON.max || !isStorableText(reason)) {
    return { ok: false, reason: `properties.reason must be text of ${REASON.min} to ${REASON.max} characters` };
  }
  return { ok: true, value: { customerId, points, reason } };
}

interface SetFollowUpStatus {
  orderId: string;
  status: FlowFollowUpStatus;
}

/** "Set follow-up status": `order_id` and `status` (open, contacted or resolved; any case). */
export function parseSetFollowUpStatus(properties: Record<string, unknown>): Parsed<SetFollowUpStatus> {
  const orderId = shopifyIdOf(properties.order_id, "Order");
  if (!orderId) return { ok: false, reason: "properties.order_id must be an order id" };
  const status = typeof properties.status === "string" ? properties.status.trim().toLowerCase() : null;
  const known = STATUSES.find((s) => s === status);
  if (!known) return { ok: false, reason: "properties.status must be open, contacted or resolved" };
  return { ok: true, value: { orderId, status: known } };
}
