// Signed requests for the benchmark: Shopify webhook HMACs and session-token JWTs (HS256 with the app secret),
// built the way Shopify builds them so the server verifies them exactly as in production.
import { createHmac, randomUUID } from "node:crypto";

/** A browser's user agent: the library answers 410 to bots on admin and checkout requests. */
export const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

const b64url = (value) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

export function hmacBase64(secret, body) {
  return createHmac("sha256", secret).update(body).digest("base64");
}

/** HS256 JWT of `claims`. */
export function jwt(secret, claims) {
  const unsigned = `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url(claims)}`;
  return `${unsigned}.${createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

function timeClaims(lifetimeS = 300) {
  const now = Math.floor(Date.now() / 1000);
  return { iat: now - 5, nbf: now - 5, exp: now + lifetimeS, jti: randomUUID() };
}

/** What App Bridge sends with an admin fetch: `iss` is the shop's admin, `dest` the shop, `aud` the API key. */
export function adminSessionToken({ apiKey, secret, shop }) {
  return jwt(secret, { iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: apiKey, sub: "1", sid: randomUUID(), ...timeClaims(3600) });
}

/** What `shopify.sessionToken.get()` returns in a checkout UI extension (a guest: no `sub`). */
export function checkoutSessionToken({ apiKey, secret, shop }) {
  return jwt(secret, { dest: `https://${shop}`, aud: apiKey, ...timeClaims() });
}

/** Headers of a webhook delivery as Shopify sends it. */
export function webhookHeaders({ secret, shop, topic, body, apiVersion = "2026-10" }) {
  const id = randomUUID();
  return {
    "content-type": "application/json",
    "x-shopify-hmac-sha256": hmacBase64(secret, body),
    "x-shopify-topic": topic,
    "x-shopify-shop-domain": shop,
    "x-shopify-api-version": apiVersion,
    "x-shopify-webhook-id": id,
    "x-shopify-event-id": id,
    "x-shopify-triggered-at": new Date().toISOString(),
  };
}
