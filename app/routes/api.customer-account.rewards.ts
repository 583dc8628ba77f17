// GET /api/customer-account/rewards (+ OPTIONS): the shopper's tier, balance, rewards, codes and history.
// POST: redeem a reward. Called by the customer account extension with its session token.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { tokenCustomer } from "~/domain/survey/answer-integrity";
import { errorName, log } from "~/logger.server";
import { customerRewardsView, redeemReward, takeRedeemRateLimit, type RedeemResult } from "~/services/rewards.server";
import { authenticate } from "~/shopify.server";
import { extensionTokenShop, readLimitedBody, withCheckoutCors } from "~/shopify/checkout-request.server";

/** A redemption request is two small fields. */
const MAX_REDEEM_BYTES = 2 * 1024;
/** The client's idempotency key: a UUID or any token of 8 to 100 URL-safe characters. */
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,100}$/;

type Cors = (response: Response) => Response;

const reply = (cors: Cors, status: number, body: unknown, headers?: HeadersInit) =>
  cors(Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } }));

async function authenticateCustomer(request: Request) {
  try {
    return { auth: await authenticate.public.customerAccount(request) };
  } catch (thrown) {
    // OPTIONS preflight (204, CORS set by the library), missing/invalid token (401), bots (410).
    if (thrown instanceof Response) return { response: withCheckoutCors(request, thrown) };
    throw thrown;
  }
}

async function handle(request: Request): Promise<Response> {
  const { auth, response } = await authenticateCustomer(request);
  if (!auth) return response;
  const { sessionToken, cors } = auth;
  const shop = extensionTokenShop(sessionToken);
  if (!shop) return cors(new Response(null, { status: 401, statusText: "Unauthorized" }));
  // The customer is the token's `sub` only; a body naming one is refused as an unknown field below.
  const customerId = tokenCustomer(sessionToken.sub);
  if (!customerId) return reply(cors, 403, { errors: { customer: "Sign in to see your rewards" } });

  if (request.method === "GET") {
    try {
      return reply(cors, 200, await customerRewardsView(shop, customerId));
    } catch (error) {
      log.error("customer rewards failed", { shop, error: errorName(error) });
      return reply(cors, 500, { errors: { request: "Temporary failure, please retry" } });
    }
  }
  if (request.method !== "POST") return reply(cors, 405, { errors: { method: "Use GET or POST" } }, { Allow: "GET, POST, OPTIONS" });

  const retryAfter = await takeRedeemRateLimit(shop, customerId);
  if (retryAfter) {
    log.warn("reward redemption rate limited", { shop, retryAfter });
    return reply(cors, 429, { errors: { request: "Too many requests, try again shortly" } }, { "Retry-After": String(retryAfter) });
  }
  const body = await readLimitedBody(request, MAX_REDEEM_BYTES);
  if (!body.ok) {
    return body.reason === "too-large"
      ? reply(cors, 413, { errors: { body: `Larger than ${MAX_REDEEM_BYTES} bytes` } })
      : reply(cors, 400, { errors: { body: "Expected UTF-8 JSON" } });
  }
  const parsed = parseRedeem(body.text);
  if (!parsed.ok) return reply(cors, 400, { errors: parsed.errors });

  try {
    const result = await redeemReward(shop, customerId, parsed.rewardId, parsed.idempotencyKey);
    return redeemReply(cors, result);
  } catch (error) {
    log.error("reward redemption failed", { shop, error: errorName(error) });
    return reply(cors, 500, { errors: { request: "Temporary failure, please retry" } });
  }
}

/** `{ rewardId, idempotencyKey }` and nothing else. */
function parseRedeem(text: string): { ok: true; rewardId: number; idempotencyKey: string } | { ok: false; errors: Record<string, string> } {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return { ok: false, errors: { body: "Expected a JSON object" } };
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) return { ok: false, errors: { body: "Expected a JSON object" } };
  const errors: Record<string, string> = {};
  const { rewardId, idempotencyKey, ...rest } = input as Record<string, unknown>;
  for (const key of Object.keys(rest)) errors[key.slice(0, 40)] = "Unknown field";
  if (typeof rewardId !== "number" || !Number.isSafeInteger(rewardId) || rewardId < 1) errors.rewardId = "Expected a reward id";
  if (typeof idempotencyKey !== "string" || !IDEMPOTENCY_KEY.test(idempotencyKey)) errors.idempotencyKey = "Expected 8 to 100 letters, digits, - or _";
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, rewardId: rewardId as number, idempotencyKey: idempotencyKey as string };
}

/**
 * 201 a code was issued (200 when the key had been used: the first request's redemption); 202 Shopify has not
 * answered yet (the code shows once it has); 422 Shopify refused it (points given back, Shopify's reason);
 * 409 the balance does not pay for it; 404 no such reward, or it is switched off.
 */
function redeemReply(cors: Cors, result: RedeemResult): Response {
  switch (result.outcome) {
    case "unavailable":
      return reply(cors, 404, { errors: { rewardId: "This reward is not available" } });
    case "insufficient": {
      // Pending points (inside an order's return window) do not pay: say so, with when the next become available.
      const { pending, pendingAvailableAt } = result;
      const waiting =
        pending > 0 && pendingAvailableAt
          ? ` ${pending} more are pending until ${pendingAvailableAt.toISOString().slice(0, 10)} (UTC), when their orders' return window closes.`
          : "";
      return reply(cors, 409, {
        errors: { points: `This reward costs ${result.pointsCost} points; you have ${Math.max(result.balance, 0)}.${waiting}` },
        balance: result.balance,
        ...(waiting ? { pending, pendingAvailableAt: pendingAvailableAt!.toISOString() } : {}),
      });
    }
    case "redeemed": {
      const { redemption, balance, repeat } = result;
      if (redemption.status === "refused") {
        return reply(cors, 422, { errors: { reward: redemption.reason ?? "Shopify refused the code" }, redemption, balance });
      }
      if (redemption.status === "pending") return reply(cors, 202, { redemption, balance });
      return reply(cors, repeat ? 200 : 201, { redemption, balance });
    }
  }
}

export const action = ({ request }: ActionFunctionArgs) => handle(request);

/** GET (the shopper's rewards) and OPTIONS land here; the library answers an OPTIONS preflight before anything else. */
export const loader = ({ request }: LoaderFunctionArgs) => handle(request);
