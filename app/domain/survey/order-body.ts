import { orderNumericId } from "./answer";

/**
 * The body the extension posts to POST /api/checkout/survey/seen when it shows the survey (decision 041) and to
 * POST /api/checkout/survey/audience when a question is targeted by first order / returning customer (decision 045):
 * `{ orderId }` (an Order or OrderIdentity GID) only, no personal data. Hand-written (no zod) like the answers'
 * validator; unknown fields are refused.
 */
/** Every error key `validateOrderBody` can report other than an unknown field's (those are logged only as a count). */
export const ORDER_BODY_FIELDS: readonly string[] = ["body", "orderId"];

export function validateOrderBody(input: unknown): { ok: true; orderNumericId: string } | { ok: false; errors: Record<string, string> } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return { ok: false, errors: { body: "Expected a JSON object" } };
  const errors: Record<string, string> = {};
  for (const key of Object.keys(input)) if (key !== "orderId") errors[key] = "Unknown field";
  const orderId = orderNumericId((input as { orderId?: unknown }).orderId);
  if (!orderId) errors.orderId = "Expected an order GID such as gid://shopify/Order/123";
  return orderId && !Object.keys(errors).length ? { ok: true, orderNumericId: orderId } : { ok: false, errors };
}
