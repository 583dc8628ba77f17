/**
 * The body of Shopify Flow's trigger lifecycle callback (POST /flow/trigger-lifecycle): which trigger, whether the
 * shop now has an enabled workflow using it, the shop, and when Flow wrote the callback. Parsed after the HMAC was
 * verified; `reason` names fields, never their values.
 */
interface TriggerLifecycle {
  definitionId: string;
  hasEnabledFlow: boolean;
  /** Shopify's numeric shop id, exact digits; null when the body has none. */
  shopId: string | null;
  shopDomain: string;
  timestamp: Date;
}

type Parsed = { ok: true; value: TriggerLifecycle } | { ok: false; reason: string };

/** ISO 8601 with a date, a time and a zone (Z or ±hh:mm), as Flow writes it: 2019-01-25T16:44:10.999Z. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** `payload`: the body parsed losslessly (ids beyond 2^53 arrive as digit strings). */
export function parseTriggerLifecycle(payload: unknown): Parsed {
  if (!isRecord(payload)) return { ok: false, reason: "body is not a JSON object" };
  const { flow_trigger_definition_id: definitionId, has_enabled_flow: enabled, shop_id: shopId, shopify_domain: domain, timestamp } = payload;
  if (typeof definitionId !== "string" || definitionId.trim() === "" || definitionId.length > 255) {
    return { ok: false, reason: "flow_trigger_definition_id must be a non-empty string" };
  }
  if (typeof enabled !== "boolean") return { ok: false, reason: "has_enabled_flow must be true or false" };
  if (typeof domain !== "string" || domain.length > 255) return { ok: false, reason: "shopify_domain must be a string" };
  let id: string | null = null;
  if (typeof shopId === "number" && Number.isSafeInteger(shopId) && shopId > 0) id = String(shopId);
  else if (typeof shopId === "string" && /^[1-9]\d{0,19}$/.test(shopId)) id = shopId;
  else if (shopId !== undefined && shopId !== null) return { ok: false, reason: "shop_id must be a positive integer" };
  if (typeof timestamp !== "string" || !ISO_INSTANT.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
    return { ok: false, reason: "timestamp must be an ISO 8601 instant" };
  }
  return { ok: true, value: { definitionId, hasEnabledFlow: enabled, shopId: id, shopDomain: domain.toLowerCase(), timestamp: new Date(timestamp) } };
}
