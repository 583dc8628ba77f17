import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "~/env.server";

/**
 * Verifies a webhook delivery the way `authenticate.webhook` does (POST only, HMAC-SHA256 of the raw body with the
 * app secret, the X-Shopify headers present), with node:crypto on the body bytes, and without loading the shop's
 * session or building an Admin API client. Used by the order and refund routes, the high-volume ones, which never
 * call the Admin API (docs/decisions/012-webhook-hot-path.md). Throws a Response: 405, 401 or 400. The body is parsed
 * afterwards, losslessly, by the caller (handleWebhook).
 */
interface VerifiedWebhook {
  shop: string;
  topic: string;
  webhookId: string;
  apiVersion: string;
}

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const REQUIRED = ["x-shopify-topic", "x-shopify-shop-domain", "x-shopify-api-version", "x-shopify-webhook-id"] as const;

/** A shop domain Shopify could send in X-Shopify-Shop-Domain: `<name>.myshopify.com` (or the configured custom domain). */
export function isShopDomain(value: string): boolean {
  const shop = value.toLowerCase();
  return SHOP_DOMAIN.test(shop) || (env.SHOP_CUSTOM_DOMAIN !== undefined && shop.endsWith(`.${env.SHOP_CUSTOM_DOMAIN}`));
}

function fail(status: number, statusText: string): never {
  throw new Response(undefined, { status, statusText });
}

/** True when `signature` (base64) is the HMAC-SHA256 of `body` with `secret`; constant time. */
export function hasValidHmac(body: Buffer, signature: string, secret: string): boolean {
  const given = Buffer.from(signature, "base64");
  const expected = createHmac("sha256", secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `bytes`: the body, read once (within the size limit) by the caller, handleWebhook. */
export async function verifyWebhookSignature(request: Request, bytes: Uint8Array): Promise<VerifiedWebhook> {
  if (request.method !== "POST") fail(405, "Method not allowed");
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!hasValidHmac(body, request.headers.get("x-shopify-hmac-sha256") ?? "", env.SHOPIFY_API_SECRET)) fail(401, "Unauthorized");
  const headers = Object.fromEntries(REQUIRED.map((name) => [name, request.headers.get(name)]));
  if (REQUIRED.some((name) => !headers[name])) fail(400, "Bad Request");
  const shop = headers["x-shopify-shop-domain"]!.toLowerCase();
  if (!isShopDomain(shop)) fail(400, "Bad Request");
  return {
    shop,
    topic: headers["x-shopify-topic"]!,
    webhookId: headers["x-shopify-webhook-id"]!,
    apiVersion: headers["x-shopify-api-version"]!,
  };
}
