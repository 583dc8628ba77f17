/**
 * A payload that does not have the shape its topic promises: thrown by every payload parser (orders, refunds,
 * products, compliance requests, the shop profile) and turned by the webhook transports into a 400 (HTTP) or a
 * refused message (Pub/Sub). `reason` names fields, never their values (they may be customer data).
 */
export class InvalidPayloadError extends Error {
  override name = "InvalidPayloadError";
  constructor(readonly reason: string) {
    super(reason);
  }
}
