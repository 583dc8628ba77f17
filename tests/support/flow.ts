import { getHmac } from "@shopify/shopify-api/test-helpers";
import { TEST_SECRET } from "./webhooks";

/**
 * Shopify Flow's trigger lifecycle callback as Flow sends it to POST /flow/trigger-lifecycle: the JSON body (or `raw`
 * text) signed with HMAC-SHA256 by the app secret, or by `secret` (a forgery), or not at all (`secret: null`).
 */
export function flowLifecycleRequest(body: unknown, options: { secret?: string | null; raw?: string } = {}) {
  const text = options.raw ?? JSON.stringify(body);
  const headers = new Headers({ "Content-Type": "application/json" });
  const secret = options.secret === undefined ? TEST_SECRET : options.secret;
  if (secret !== null) headers.set("X-Shopify-Hmac-Sha256", getHmac(text, secret));
  return new Request("https://afterglow.test/flow/trigger-lifecycle", { method: "POST", headers, body: text });
}

/**
 * A Shopify Flow action run as Flow sends it to POST /flow/actions/<handle>: the JSON body (or `raw` text) signed
 * with HMAC-SHA256 by the app secret, or by `secret` (a forgery), or not at all (`secret: null`).
 */
export function flowActionRequest(handle: string, body: unknown, options: { secret?: string | null; raw?: string; method?: string } = {}) {
  const text = options.raw ?? JSON.stringify(body);
  const headers = new Headers({ "Content-Type": "application/json" });
  const secret = options.secret === undefined ? TEST_SECRET : options.secret;
  if (secret !== null) headers.set("X-Shopify-Hmac-Sha256", getHmac(text, secret));
  return new Request(`https://afterglow.test/flow/actions/${handle}`, { method: options.method ?? "POST", headers, body: text });
}
