import { orderNumericId } from "./answer";

/**
 * The body the extension posts to POST /api/checkout/survey/seen when it shows the survey (decision 041):
 * `{ orderId }` (an Order or OrderIdentity GID) only, no personal data. Hand-written (no zod) like the answers' validator; unknown fields are refused.
 */
/** Every error key `validateSeen` can report other than an unknown field's (those are logged only as a count). */
export const SEEN_FIELDS: readonly string[] = ["body", "orderId"];

export function validateSeen(input: unknown): { ok: true; orderNumericId: string } | { ok: false; errors: Record<string, string> } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return { ok: false, errors: { body: "Expected a JSON object" } };
  const errors: Record<string, string> = {};
  for (const key of Object.keys(input)) if (key !== "orderId") errors[key] = "Unknown field";
  const orderId = orderNumericId((input as { orderId?: unknown }).orderId);
  if (!orderId) errors.orderId = "Expected an order GID such as gid://shopify/Order/123";
  return orderId && !Object.keys(errors).length ? { ok: true, orderNumericId: orderId } : { ok: false, errors };
}
