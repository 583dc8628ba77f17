import { orderNumericId } from "~/domain/survey/answer";
import { ORDER_BODY_FIELDS, validateOrderBody } from "~/domain/survey/order-body";
import { log } from "~/logger.server";
import { authenticate } from "~/shopify.server";
import { extensionTokenShop, readLimitedBody, withCheckoutCors } from "~/shopify/checkout-request.server";
import { takeSurveyRateLimit } from "./survey-rate-limits.server";

/**
 * What the survey endpoints (POST /api/checkout/survey and /api/checkout/survey/seen) do alike before their own work:
 * the session token (the shop is its `dest`, never the body), CORS, a size-limited JSON body, and the rate limits,
 * which count per order (the body's order id) as well as per token and shop (services/survey-rate-limits.server.ts).
 */

export type Cors = (response: Response) => Response;

export const reply = (cors: Cors, status: number, body: unknown, headers?: HeadersInit) => cors(Response.json(body, { status, headers }));

interface SurveyCaller {
  shop: string;
  /** The token's `sub` (a customer GID when the shopper is signed in). */
  sub: unknown;
  cors: Cors;
  /** Whom the per-token rate limit counts: the signed-in customer, else the token's id. */
  tokenKey: string;
}

/** The checked session token, or the response to give (OPTIONS preflight 204, missing or invalid token 401, bots 410). */
export async function authenticateSurveyCaller(request: Request): Promise<{ caller: SurveyCaller } | { response: Response }> {
  let auth;
  try {
    auth = await authenticate.public.checkout(request);
  } catch (thrown) {
    if (thrown instanceof Response) return { response: withCheckoutCors(request, thrown) };
    throw thrown;
  }
  const { sessionToken, cors } = auth;
  const shop = extensionTokenShop(sessionToken);
  if (!shop) return { response: cors(new Response(null, { status: 401, statusText: "Unauthorized" })) };
  return { caller: { shop, sub: sessionToken.sub ?? null, cors, tokenKey: `${shop}|${sessionToken.sub ?? sessionToken.jti ?? "anonymous"}` } };
}

/**
 * Reads the JSON body (at most `maxBytes`) and takes the rate limits for the order it names: the parsed body, or the
 * response to give (413 too large, 400 not JSON, 429 with Retry-After).
 */
export async function readSurveyBody(request: Request, caller: SurveyCaller, maxBytes: number, what: string): Promise<{ input: unknown } | { response: Response }> {
  const { cors, shop } = caller;
  const body = await readLimitedBody(request, maxBytes);
  if (!body.ok) {
    return {
      response: body.reason === "too-large" ? reply(cors, 413, { errors: { body: `Larger than ${maxBytes} bytes` } }) : reply(cors, 400, { errors: { body: "Expected UTF-8 JSON" } }),
    };
  }
  let input: unknown;
  try {
    input = JSON.parse(body.text);
  } catch {
    input = undefined;
  }
  const orderId = orderNumericId(typeof input === "object" && input !== null ? (input as { orderId?: unknown }).orderId : undefined);
  const retryAfter = await takeSurveyRateLimit(shop, caller.tokenKey, orderId);
  if (retryAfter) {
    log.warn(`${what} rate limited`, { shop, retryAfter });
    return { response: reply(cors, 429, { errors: { request: "Too many requests, try again shortly" } }, { "Retry-After": String(retryAfter) }) };
  }
  if (input === undefined) return { response: reply(cors, 400, { errors: { body: "Expected a JSON object" } }) };
  return { input };
}

/**
 * A body that names one order and nothing else (`{ orderId }`: POST …/seen and POST …/audience), read and rate-limited
 * as above and checked by `validateOrderBody`: the order's numeric id, or the response to give (400 with the reason;
 * the log names only fields the shape knows, since an unknown key is whatever the sender wrote).
 */
export async function readOrderBody(request: Request, caller: SurveyCaller, maxBytes: number, what: string): Promise<{ orderNumericId: string } | { response: Response }> {
  const read = await readSurveyBody(request, caller, maxBytes, what);
  if ("response" in read) return read;
  const checked = validateOrderBody(read.input);
  if (checked.ok) return { orderNumericId: checked.orderNumericId };
  const known = Object.keys(checked.errors).filter((key) => ORDER_BODY_FIELDS.includes(key));
  log.info(`${what} rejected`, { shop: caller.shop, fields: known.join(","), unknownFields: Object.keys(checked.errors).length - known.length });
  return { response: reply(caller.cors, 400, { errors: checked.errors }) };
}
