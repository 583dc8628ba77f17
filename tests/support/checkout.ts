import { randomUUID } from "node:crypto";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { TEST_API_KEY, TEST_SECRET } from "./webhooks";

/** Where checkout / customer-account extensions run from: a different origin than the app, hence CORS. */
export const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";

export interface CheckoutTokenOptions {
  /** Sign with another secret (forgery). */
  secret?: string;
  /** Seconds from now until `exp` (negative: already expired; the library allows 10 s of clock skew). */
  expiresIn?: number;
  /** The customer GID when the shopper is logged in; absent for guests (the default). */
  sub?: string;
  /** Token id; a fresh one per token by default. */
  jti?: string;
}

/**
 * A checkout UI extension session token as `shopify.sessionToken.get()` returns it: HS256 with the app secret,
 * `dest` = https://<store>.myshopify.com, `aud` = the app's API key, 5 minutes.
 */
export async function checkoutToken(store: string, options: CheckoutTokenOptions = {}) {
  const nowS = Math.floor(Date.now() / 1000);
  // Unset claims are dropped when the payload is serialised: a guest's token has no `sub`.
  const overrides: Record<string, unknown> = {
    iss: undefined,
    sub: options.sub,
    sid: undefined,
    jti: options.jti ?? randomUUID(),
    iat: nowS - 5,
    nbf: nowS - 5,
    exp: nowS + (options.expiresIn ?? 300),
  };
  const { token } = await getJwt(store, TEST_API_KEY, options.secret ?? TEST_SECRET, overrides);
  return token;
}

export interface CheckoutRequestOptions extends CheckoutTokenOptions {
  /** `null`: no Authorization header at all. A string: sent as is. Default: a fresh valid token. */
  token?: string | null;
  method?: string;
  /** JSON-encoded unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
  /** Query string, e.g. "?surface=order-status". */
  search?: string;
  headers?: Record<string, string>;
}

/** A request from the extension to the app backend: Origin of the extension host and `Authorization: Bearer <jwt>`. */
export async function checkoutRequest(store: string, path: string, options: CheckoutRequestOptions = {}) {
  const headers = new Headers({ Origin: EXTENSION_ORIGIN, ...options.headers });
  const token = options.token === undefined ? await checkoutToken(store, options) : options.token;
  if (token !== null) headers.set("Authorization", `Bearer ${token}`);
  const method = options.method ?? "POST";
  const hasBody = method !== "GET" && method !== "HEAD" && method !== "OPTIONS";
  if (hasBody) headers.set("Content-Type", "application/json");
  const body = hasBody ? (options.rawBody ?? JSON.stringify(options.body ?? {})) : undefined;
  return new Request(`https://afterglow.test${path}${options.search ?? ""}`, { method, headers, body });
}
