import { authenticate } from "~/shopify.server";
import { InvalidPayloadError } from "~/domain/orders/order-payload";
import { errorName, log } from "~/logger.server";
import { readLimitedBytes } from "./checkout-request.server";

/** Larger than any order Shopify sends; anything bigger is refused before it is read. */
export const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

export type WebhookContext = Awaited<ReturnType<typeof authenticate.webhook>>;
/**
 * Verifies a delivery whose body (at most MAX_WEBHOOK_BYTES) has already been read: the library's
 * `authenticate.webhook` (the default), or the lean `verifyWebhookSignature` of the order and refund routes.
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

/**
 * The whole HTTP side of a webhook: size limit (413, also for a body without Content-Length), HMAC check (401),
 * JSON and shape errors (400, logged without the payload), then `apply`. Answers 200 only after `apply` resolved,
 * i.e. after its effect is committed; any other failure answers 500 so that Shopify retries.
 */
export async function handleWebhook<C extends { shop: string; topic: string; webhookId: string } = WebhookContext>(
  request: Request,
  apply: (context: C) => Promise<unknown>,
  verify: Verify<C> = libraryVerify as unknown as Verify<C>,
): Promise<Response> {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_WEBHOOK_BYTES) return problem(413, `body larger than ${MAX_WEBHOOK_BYTES} bytes`);

  // An unsigned request is unauthenticated, not malformed: 401, like a forged signature.
  if (request.method === "POST" && !request.headers.get("x-shopify-hmac-sha256")) {
    return problem(401, "missing X-Shopify-Hmac-Sha256");
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
  try {
    context = await verify(request, body);
  } catch (error) {
    if (error instanceof Response) return error;
    if (error instanceof SyntaxError) {
      log.warn("webhook body is not JSON", { topic: request.headers.get("x-shopify-topic") });
      return problem(400, "body is not valid JSON");
    }
    throw error;
  }

  const fields = { shop: context.shop, topic: context.topic, webhookId: context.webhookId };
  try {
    const verified = performance.now();
    const outcome = await apply(context);
    const applied = performance.now();
    log.info("webhook applied", { ...fields, outcome: typeof outcome === "string" ? outcome : "ok" });
    // Where the time went, for operators and the benchmark: verification (HMAC, shop) and applying the event.
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
