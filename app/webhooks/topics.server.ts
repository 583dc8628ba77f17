import { handleAppUninstalled, handleScopesUpdate } from "~/services/app-lifecycle.server";
import { recordDataRequest, redactCustomer, redactShop } from "~/services/compliance.server";
import { ingestEvent } from "~/services/ingest-webhook.server";
import { applyShopUpdateWebhook } from "~/services/shop-profile.server";

/**
 * One delivery of a topic, verified and checked, whichever way it arrived: an HTTPS route
 * (app/webhooks/action.server.ts) or a Google Pub/Sub message (app/pubsub/webhook-message.server.ts).
 */
interface WebhookDelivery {
  shop: string;
  /** The topic as `shopify.app.toml` names it (`orders/create`). */
  topic: string;
  /** X-Shopify-Webhook-Id: the idempotency key. */
  webhookId: string;
  /** The body, parsed losslessly (ids beyond 2^53 as exact digit strings: app/domain/lossless-json.ts). */
  payload: unknown;
  /**
   * The shop's offline session, for the topics that change it (app/scopes_update): the one `authenticate.webhook`
   * loaded over HTTPS (absent when none is stored), `offline_<shop>` over Pub/Sub.
   */
  sessionId?: string;
}

/**
 * How an HTTPS delivery of the topic is verified (Pub/Sub deliveries carry no HMAC: their trust comes from IAM and
 * the known-shop check, decision 026):
 * - `hmac`: the lean check (`verifyWebhookSignature`: HMAC-SHA256 of the body and the X-Shopify-* headers, with
 *   node:crypto, no session loaded): the high-volume topics, whose handlers never need the shop's session
 *   (docs/decisions/012-webhook-hot-path.md);
 * - `library`: `authenticate.webhook`, which also loads the shop's offline session (`sessionId`).
 */
type WebhookVerification = "hmac" | "library";

interface WebhookTopic {
  verify: WebhookVerification;
  /**
   * Applies the delivery; resolves only once its effect is committed (the transport acknowledges then), with an
   * outcome that is logged when it is a string. Throws `InvalidPayloadError` for a body of the wrong shape (400 over
   * HTTPS, refused over Pub/Sub); any other failure is retried.
   */
  handle: (delivery: WebhookDelivery) => Promise<unknown>;
}

const ingest: WebhookTopic = { verify: "hmac", handle: ({ shop, topic, webhookId, payload }) => ingestEvent({ shop, topic, webhookId, payload }) };

/**
 * Every webhook topic Afterglow handles: the one place a topic is added. Each is subscribed in `shopify.app.toml`
 * and has a one-line route file `app/routes/webhooks.<topic with a dot>.tsx` exporting `webhookAction`;
 * tests/integration/app-config.test.ts fails when the three disagree.
 *
 * How its shop is checked is the same for every topic, by both transports: X-Shopify-Shop-Domain must be a shop
 * domain; the shop a signed body names must be that one (`SHOP_NAMING_FIELDS` in app/domain/webhook-shop.ts: a new
 * topic whose body names the shop adds its row there); over Pub/Sub the shop must be one Afterglow knows.
 */
export const WEBHOOK_TOPICS: Readonly<Record<string, WebhookTopic>> = {
  // Order facts, points, tiers (app/services/ingest-webhook.server.ts).
  "orders/create": ingest,
  "orders/updated": ingest,
  "orders/paid": ingest,
  "orders/cancelled": ingest,
  "refunds/create": ingest,
  // Product titles and tags, for return eligibility's final-sale exceptions.
  "products/create": ingest,
  "products/update": ingest,
  "products/delete": ingest,
  // The app's lifecycle and the shop's profile.
  "app/uninstalled": { verify: "library", handle: ({ shop }) => handleAppUninstalled(shop) },
  "app/scopes_update": {
    verify: "library",
    handle: ({ shop, sessionId, payload }) => handleScopesUpdate(shop, sessionId, (payload as { current?: unknown }).current),
  },
  "shop/update": { verify: "library", handle: ({ shop, webhookId, payload }) => applyShopUpdateWebhook({ shop, webhookId, payload }) },
  // The mandatory compliance topics.
  "customers/data_request": { verify: "library", handle: ({ shop, webhookId, payload }) => recordDataRequest({ shop, webhookId, payload }) },
  "customers/redact": { verify: "library", handle: ({ shop, webhookId, payload }) => redactCustomer({ shop, webhookId, payload }) },
  "shop/redact": { verify: "library", handle: ({ shop }) => redactShop(shop) },
};

/** The topic's entry; undefined for a topic Afterglow does not handle (names of Object.prototype included). */
export function webhookTopic(topic: string): WebhookTopic | undefined {
  return Object.hasOwn(WEBHOOK_TOPICS, topic) ? WEBHOOK_TOPICS[topic] : undefined;
}
