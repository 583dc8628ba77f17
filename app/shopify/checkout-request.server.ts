import { env } from "~/env.server";

/**
 * The HTTP side of requests from the checkout / customer-account extensions: CORS on responses the library
 * answers before we get a `cors` function, the shop a session token is for, and a size-limited body reader. The
 * survey's rate limits are in services/survey-rate-limits.server.ts.
 */

/** Adds the CORS headers `authenticate.public.checkout`'s `cors()` would add, for responses it threw (401, 410). */
export function withCheckoutCors(request: Request, response: Response): Response {
  const origin = request.headers.get("Origin");
  if (!origin || origin === env.SHOPIFY_APP_URL || response.headers.has("Access-Control-Allow-Origin")) return response;
  const headers = new Headers(response.headers);
  headers.set("Access-Control-Allow-Origin", "*");
  headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
  headers.set("Access-Control-Expose-Headers", "X-Shopify-API-Request-Failure-Reauthorize-Url");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * The shop an extension's session token is for: its `dest` (https://<shop>), never anything in the body; null when
 * `dest` is not a shop's host, or when the token names an audience that is not this app. The library does not check
 * `aud` for extension tokens (older checkout tokens carried none): one without is accepted as the library accepts it.
 * Pinned by tests/integration/security/session-tokens.test.ts (a token for another app is refused).
 */
export function extensionTokenShop(token: { dest?: unknown; aud?: unknown }): string | null {
  if (token.aud !== undefined && !(Array.isArray(token.aud) ? token.aud : [token.aud]).includes(env.SHOPIFY_API_KEY)) return null;
  const { dest } = token;
  if (typeof dest !== "string" || !dest) return null;
  try {
    const host = new URL(dest.includes("://") ? dest : `https://${dest}`).hostname.toLowerCase();
    return /^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}$/.test(host) ? host : null;
  } catch {
    return null;
  }
}

type BodyRead = { ok: true; text: string } | { ok: false; reason: "too-large" | "not-utf8" };

/**
 * Reads at most `maxBytes` of the body: refuses on the declared Content-Length before reading, and stops reading
 * as soon as the actual bytes exceed the limit (a missing or lying Content-Length, e.g. a chunked upload, does not
 * get past it). Invalid UTF-8 is refused.
 */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<BodyRead> {
  const read = await readLimitedBytes(request, maxBytes);
  if (!read.ok) return read;
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(read.bytes) };
  } catch {
    return { ok: false, reason: "not-utf8" };
  }
}

/**
 * How much of an oversize body is read and thrown away so that the 413 reaches the client. Cancelling the body stream
 * destroys the socket under Node's HTTP server (Remix's adapter destroys the IncomingMessage): the client then sees
 * its connection reset instead of an answer. Reading the rest (without keeping it) lets the server answer 413 on a
 * healthy connection. Past this many bytes in all (OVERSIZE_DRAIN_FACTOR × the limit, at least OVERSIZE_DRAIN_MIN_BYTES),
 * the stream is cancelled after all: nobody sends that much by mistake.
 */
export const OVERSIZE_DRAIN_FACTOR = 8;
const OVERSIZE_DRAIN_MIN_BYTES = 1024 * 1024;

/** Reads and discards the rest of an oversize body, up to `budget` more bytes; cancels the stream beyond. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number) {
  let left = budget;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    left -= value.byteLength;
    if (left < 0) {
      await reader.cancel();
      return;
    }
  }
}

/**
 * The body's bytes, read up to `maxBytes` (refused beyond, whatever Content-Length says). A chunked body over the
 * limit is read to its end and discarded (up to a bound, see OVERSIZE_DRAIN_FACTOR) so that the caller's 413 answer
 * arrives; a declared Content-Length over the limit is refused without reading anything.
 */
export async function readLimitedBytes(
  request: Request,
  maxBytes: number,
): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; reason: "too-large" }> {
  const declared = request.headers.get("content-length");
  if (declared !== null && (!/^\d+$/.test(declared) || Number(declared) > maxBytes)) return { ok: false, reason: "too-large" };
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await drain(reader, Math.max(maxBytes * OVERSIZE_DRAIN_FACTOR, OVERSIZE_DRAIN_MIN_BYTES) - size);
      return { ok: false, reason: "too-large" };
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return { ok: true, bytes: chunks[0]! };
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}
