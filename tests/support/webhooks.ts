import { randomUUID } from "node:crypto";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { SHOPIFY_API_VERSION } from "~/shopify/api-version";

export const TEST_SECRET = "test-api-secret";
export const TEST_API_KEY = "test-api-key";

export interface WebhookOptions {
  topic: string;
  shop: string;
  body: unknown;
  webhookId?: string;
  /** Sign with another secret (forgery), or `null` to send no HMAC at all. */
  secret?: string | null;
  rawBody?: string;
}

/** The X-Shopify-* headers of one delivery (HTTPS headers, or a Pub/Sub message's attributes), without the HMAC. */
export function shopifyDeliveryHeaders(topic: string, shop: string, webhookId: string = randomUUID()): Record<string, string> {
  return {
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-API-Version": SHOPIFY_API_VERSION,
    "X-Shopify-Webhook-Id": webhookId,
    "X-Shopify-Event-Id": randomUUID(),
    "X-Shopify-Triggered-At": new Date().toISOString(),
  };
}

/** A webhook request exactly as Shopify sends it: raw JSON body, base64 HMAC-SHA256 and the X-Shopify-* headers. */
export function signedWebhook({ topic, shop, body, webhookId = randomUUID(), secret = TEST_SECRET, rawBody }: WebhookOptions) {
  const text = rawBody ?? JSON.stringify(body);
  const headers = new Headers({ "Content-Type": "application/json", ...shopifyDeliveryHeaders(topic, shop, webhookId) });
  if (secret !== null) headers.set("X-Shopify-Hmac-Sha256", getHmac(text, secret));
  return new Request(`https://afterglow.test/webhooks/${topic}`, { method: "POST", headers, body: text });
}

/** Calls a Remix action the way the server does. */
export async function callAction(
  action: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response> | Response,
  request: Request,
) {
  return action({ request, params: {}, context: {} });
}
