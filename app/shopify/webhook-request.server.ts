import { authenticate } from "~/shopify.server";
import { parseJsonLossless } from "~/domain/lossless-json";
import { InvalidPayloadError } from "~/domain/payload-error";
import { needsStoredShopId, shopNamedByBody } from "~/domain/webhook-shop";
import { errorName, log } from "~/logger.server";
import { getShopifyId } from "~/models/shops.server";
import { readLimitedBytes } from "./checkout-request.server";
import { isShopDomain } from "./webhook-signature.server";

/** Larger than any order Shopify sends; anything bigger is refused before it is read. */
export const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

type WebhookContext = Awaited<ReturnType<typeof authenticate.webhook>>;
/**
 * Verifies a delivery whose body (at most MAX_WEBHOOK_BYTES) has already been read: the library's
 * `authenticate.webhook` (the default), or the lean `verifyWebhookSignature` (the topics app/webhooks/topics.server.ts
 * marks `hmac`).
 */
type Verify<C> = (request: Request, body: Uint8Array) => Promise<C>;

/** `authenticate.webhook` on a request rebuilt from the bytes read: it verifies the HMAC over exactly those. */
const libraryVerify = (request: Request, body: Uint8Array) =>
  authenticate.webhook(
    request.method === "POST" ? new Request(request.url, { method: "POST", headers: request.headers, body: new TextDecoder().decode(body) }) : request,
  );

function problem(status: number, reason: string) {
  return Response.json({ errors: [reason] }, { status });
}

/** The topic a route serves, from its path (/webhooks/app/scopes_update → app/scopes_update): unlike X-Shopify-Topic, not the sender's to choose. */
export const routeTopic = (request: Request) => new URL(request.url).pathname.replace(/^\/webhooks\//, "");

/**
 * The whole HTTP side of a webhook: size limit (413, also for a body without Content-Length), HMAC check (401), a
 * missing or invalid shop header (400), JSON and shape errors (400, logged without the payload), a topic header naming
 * another topic than the route (400), a body naming another shop than the header (401), then `apply`. Answers 200 only after `apply` resolved, i.e. after its effect is
 * committed; any other failure answers 500 so that Shopify retries.
 *
 * `apply` gets the body parsed losslessly (ids beyond 2^53 as exact digit strings, app/domain/lossless-json.ts) as
 * `payload`, for every route: the library's own `payload` (parsed through JS numbers) is never used.
 */
export async function handleWebhook<C extends { shop: string; topic: string; webhookId: string } = WebhookContext>(
  request: Request,
  apply: (context: C & { payload: unknown }) => Promise<unknown>,
  verify: Verify<C> = libraryVerify as unknown as Verify<C>,
): Promise<Response> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_WEBHOOK_BYTES) return problem(413, `body larger than ${MAX_WEBHOOK_BYTES} bytes`);

  if (request.method === "POST") {
    // An unsigned request is unauthenticated, not malformed: 401, like a forged signature.
    if (!request.headers.get("x-shopify-hmac-sha256")) return problem(401, "missing X-Shopify-Hmac-Sha256");
    // Checked here, for every route, so that no verifier turns a malformed shop into a 500.
    if (!isShopDomain(request.headers.get("x-shopify-shop-domain") ?? "")) return problem(400, "missing or invalid X-Shopify-Shop-Domain");
  }

  // Read the body here, within the limit, whatever Content-Length says (a chunked body has none): the library
  // would read all of it into memory before checking anything. The HMAC is then verified over exactly these bytes.
  let body: Uint8Array = new Uint8Array(0);
  if (request.method === "POST") {
    const read = await readLimitedBytes(request, MAX_WEBHOOK_BYTES);
    if (!read.ok) return problem(413, `body larger than ${MAX_WEBHOOK_BYTES} bytes`);
    body = read.bytes;
  }

  const started = performance.now();
  let context: C;
  let payload: unknown;
  try {
    context = await verify(request, body);
    // A SyntaxError here is a malformed body: 400.
    payload = parseJsonLossless(new TextDecoder().decode(body));
  } catch (error) {
    if (error instanceof Response) return error;
    if (error instanceof SyntaxError) {
      log.warn("webhook body is not JSON", { topic: request.headers.get("x-shopify-topic") });
      return problem(400, "body is not valid JSON");
    }
    throw error;
  }

  const fields = { shop: context.shop, topic: context.topic, webhookId: context.webhookId };
  const topic = routeTopic(request);
  // X-Shopify-Topic is outside the HMAC too, and the ingest service parses by topic: a signed products/update body
  // resent as "products/delete" must not delete the product. One route serves one topic (shopify.app.toml).
  if (request.headers.get("x-shopify-topic")?.toLowerCase() !== topic) {
    log.warn("webhook refused: X-Shopify-Topic is not this route's topic", fields);
    return problem(400, "X-Shopify-Topic does not match the route");
  }
  const storedShopId = needsStoredShopId(topic, payload) ? await getShopifyId(context.shop) : null;
  const agreement = shopNamedByBody(topic, payload, context.shop, storedShopId);
  if (!agreement.ok) {
    log.warn("webhook refused: the signed body names another shop", { ...fields, reason: agreement.reason });
    return problem(401, agreement.reason);
  }

  try {
    const verified = performance.now();
    const outcome = await apply({ ...context, payload });
    const applied = performance.now();
    log.info("webhook applied", { ...fields, outcome: typeof outcome === "string" ? outcome : "ok" });
    // Where the time went, for operators and the benchmark: verification (HMAC, shop, parse) and applying the event.
    const timing = `verify;dur=${(verified - started).toFixed(2)}, apply;dur=${(applied - verified).toFixed(2)}`;
    return new Response(null, { status: 200, headers: { "Server-Timing": timing } });
  } catch (error) {
    if (error instanceof InvalidPayloadError) {
      log.warn("webhook payload rejected", { ...fields, reason: error.reason });
      return problem(400, error.reason);
    }
    log.error("webhook failed; Shopify will retry", { ...fields, error: errorName(error) });
    return problem(500, "temporary failure, please retry");
  }
}
