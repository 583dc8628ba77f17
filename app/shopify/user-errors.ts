/**
 * A mutation's `userErrors`: Shopify understood the call and refused it. One builder turns them into the message of
 * every refusal this app raises (RefundPolicyRejected, SurveyPublishRejected, PermanentAdminError), which pages show
 * and the outbox stores and logs. The message holds Shopify's own text only (code, field path, message), never the
 * variables the call sent (customer ids, tags, metafield values).
 */
export interface AdminUserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
  /** metafieldsSet: the index of the metafield the error is about. */
  elementIndex?: number | null;
}

/** "CODE field.path message" per error (absent parts left out), joined by "; "; "rejected" when nothing is left. */
export function userErrorsMessage(userErrors: readonly AdminUserError[]): string {
  return userErrors.map((e) => [e.code, e.field?.join("."), e.message].filter(Boolean).join(" ")).join("; ") || "rejected";
}
