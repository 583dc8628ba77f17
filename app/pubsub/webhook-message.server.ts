import { parseJsonLossless } from "~/domain/lossless-json";
import { InvalidPayloadError } from "~/domain/payload-error";
import { needsStoredShopId, shopNamedByBody } from "~/domain/webhook-shop";
import { errorName, log } from "~/logger.server";
import { webhookShop } from "~/models/webhook-shops.server";
import { MAX_WEBHOOK_BYTES } from "~/shopify/webhook-request.server";
import { isShopDomain } from "~/shopify/webhook-signature.server";
import { webhookTopic } from "~/webhooks/topics.server";

/**
 * One Shopify webhook delivered through Google Pub/Sub (docs/decisions/026-pubsub-consumer.md): the X-Shopify-*
 * headers of an HTTP delivery are the message's attributes, the JSON body is its data. The fields of the client
 * library's `Message` this code reads.
 */
export interface WebhookMessage {
  /** Pub/Sub's message id (assigned by Pub/Sub, not by the publisher): for logs only. */
  id: string;
  attributes: Readonly<Record<string, string>>;
  data: Uint8Array;
  /** When Pub/Sub accepted the message from Shopify. */
  publishTime?: Date;
  /** 1, 2…: set by Pub/Sub only when the subscription has a dead-letter policy; 0 otherwise. */
  deliveryAttempt?: number;
}

/**
 * What to do with a message: `ack` it once its effect is committed (`outcome`) or when it can never succeed
 * (`refused`, logged: redelivering it would loop for ever), or `nack` it for a failure that may pass (the database
 * did not answer, a lock conflict…), so that Pub/Sub delivers it again, here or to another consumer.
 */
export type MessageVerdict = { ack: true; outcome: string } | { ack: true; refused: string } | { ack: false; retry: string };

/**
 * How long after Shopify published it a message naming a shop Afterglow does not know is retried before it is
 * refused: a shop's webhooks can start before its first session is stored (the install is finishing).
 */
export const UNKNOWN_SHOP_RETRY_MS = 10 * 60 * 1000;

/** The attributes every delivery carries (Shopify's HTTP headers of the same names). */
const REQUIRED = ["x-shopify-topic", "x-shopify-shop-domain", "x-shopify-webhook-id", "x-shopify-api-version"] as const;

/**
 * The library's offline session id for a shop (`api.session.getOfflineId`), which `authenticate.webhook` loads for
 * the HTTP route: app/scopes_update updates that session's scope. tests/support/sessions.ts stores it under this id.
 */
const offlineSessionId = (shop: string) => `offline_${shop}`;

/** Attribute names are matched without regard to case, as HTTP header names are. */
function readAttributes(attributes: Readonly<Record<string, string>>): Map<string, string> {
  const read = new Map<string, string>();
  for (const [name, value] of Object.entries(attributes ?? {})) if (typeof value === "string") read.set(name.toLowerCase(), value);
  return read;
}

// Attributes are logged only when they have the shape Shopify gives them: never text a publisher chose freely.
const LOGGABLE_TOPIC = /^[a-z_]{1,40}\/[a-z_]{1,40}$/;
const LOGGABLE_ID = /^[A-Za-z0-9._:-]{1,100}$/;
const loggable = (value: string | undefined, shape: RegExp) => (value !== undefined && shape.test(value) ? value : undefined);

/**
 * Applies one message through the same checks as an HTTP delivery (app/shopify/webhook-request.server.ts), minus the
 * HMAC, which Pub/Sub deliveries do not need: only principals the topic's IAM policy allows can publish; then hands it
 * to its topic's handler in the table the routes use (app/webhooks/topics.server.ts).
 * Resolves with the verdict; never throws.
 *
 * Refused (acknowledged and logged, never retried): a missing attribute; a shop attribute that is no shop domain; a
 * body over MAX_WEBHOOK_BYTES, not JSON or not a JSON object; a shop Afterglow does not know (after
 * UNKNOWN_SHOP_RETRY_MS); a body naming another shop than the attributes; a topic without an entry in the table; a payload
 * its parser rejects. Retried (nacked): anything else that fails, e.g. the database.
 */
export async function handleWebhookMessage(message: WebhookMessage): Promise<MessageVerdict> {
  const now = new Date();
  const attributes = readAttributes(message.attributes);
  const topic = attributes.get("x-shopify-topic")?.toLowerCase();
  const shopAttribute = attributes.get("x-shopify-shop-domain")?.toLowerCase();
  const webhookId = attributes.get("x-shopify-webhook-id");
  const fields = {
    messageId: loggable(message.id, LOGGABLE_ID),
    deliveryAttempt: message.deliveryAttempt || undefined,
    topic: loggable(topic, LOGGABLE_TOPIC),
    shop: shopAttribute !== undefined && isShopDomain(shopAttribute) ? shopAttribute : undefined,
    webhookId: loggable(webhookId, LOGGABLE_ID),
    via: "pubsub",
  };
  const refuse = (reason: string): MessageVerdict => {
    log.warn("webhook message refused", { ...fields, reason });
    return { ack: true, refused: reason };
  };

  const missing = REQUIRED.find((name) => !attributes.get(name));
  if (missing) return refuse(`missing attribute ${missing}`);
  const shop = fields.shop;
  if (!shop) return refuse("invalid X-Shopify-Shop-Domain");
  const data = message.data ?? new Uint8Array(0);
  if (data.byteLength > MAX_WEBHOOK_BYTES) return refuse(`data larger than ${MAX_WEBHOOK_BYTES} bytes`);
  let payload: unknown;
  try {
    payload = parseJsonLossless(new TextDecoder().decode(data));
  } catch {
    return refuse("data is not valid JSON");
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return refuse("data is not a JSON object");

  try {
    const known = await webhookShop(shop);
    if (!known.known) {
      const age = message.publishTime ? now.getTime() - message.publishTime.getTime() : Infinity;
      if (age < UNKNOWN_SHOP_RETRY_MS) {
        log.warn("webhook message for a shop not known yet; retried", fields);
        return { ack: false, retry: "shop not known yet" };
      }
      return refuse("shop is not one of Afterglow's");
    }
    const agreement = shopNamedByBody(topic!, payload, shop, needsStoredShopId(topic!, payload) ? known.shopifyId : null);
    if (!agreement.ok) return refuse(agreement.reason);

    // The topic's entry in the table the HTTPS routes use: the same handler, whichever way the delivery came.
    const entry = webhookTopic(topic!);
    if (!entry) return refuse("topic not handled");
    const outcome = await entry.handle({ shop, topic: topic!, webhookId: webhookId!, payload, sessionId: offlineSessionId(shop) });
    const named = typeof outcome === "string" ? outcome : "ok";
    log.info("webhook applied", { ...fields, outcome: named });
    return { ack: true, outcome: named };
  } catch (error) {
    if (error instanceof InvalidPayloadError) return refuse(error.reason);
    log.error("webhook message failed; Pub/Sub will deliver it again", { ...fields, error: errorName(error) });
    return { ack: false, retry: errorName(error) };
  }
}
