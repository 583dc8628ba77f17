import { parseJsonLossless } from "~/domain/lossless-json";
import { env } from "~/env.server";
import { readLimitedBytes } from "./checkout-request.server";
import { hasValidHmac } from "./webhook-signature.server";

/**
 * Shopify Flow on the wire: the `flowTriggerReceive` mutation the outbox sends a trigger with (its variables are
 * built by services/flow-triggers.server.ts from app/domain/flow/triggers.ts), and the signed requests Flow sends the
 * app (the trigger lifecycle callback), verified like webhooks: HMAC-SHA256 of the raw body with the app secret.
 */

export const FLOW_TRIGGER_RECEIVE_MUTATION = `#graphql
  mutation AfterglowFlowTriggerReceive($handle: String, $payload: JSON) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors { field message }
    }
  }
`;

/** Larger than any lifecycle callback (five short fields); anything bigger is refused before it is read. */
const MAX_FLOW_REQUEST_BYTES = 16 * 1024;

function problem(status: number, reason: string): Response {
  return Response.json({ errors: [reason] }, { status });
}

/**
 * Reads and verifies a request Flow signed: POST (405), within the size limit (413), `X-Shopify-Hmac-Sha256` present
 * and the HMAC of exactly the bytes read (401 either way: unsigned is unauthenticated, not malformed), then the body
 * parsed losslessly (400 when it is not JSON). The refusal is a ready Response; nothing of the body is logged.
 */
export async function readSignedFlowRequest(request: Request): Promise<{ ok: true; payload: unknown } | { ok: false; response: Response }> {
  if (request.method !== "POST") return { ok: false, response: problem(405, "method not allowed") };
  const signature = request.headers.get("x-shopify-hmac-sha256");
  if (!signature) return { ok: false, response: problem(401, "missing X-Shopify-Hmac-Sha256") };
  const read = await readLimitedBytes(request, MAX_FLOW_REQUEST_BYTES);
  if (!read.ok) return { ok: false, response: problem(413, `body larger than ${MAX_FLOW_REQUEST_BYTES} bytes`) };
  const body = Buffer.from(read.bytes.buffer, read.bytes.byteOffset, read.bytes.byteLength);
  if (!hasValidHmac(body, signature, env.SHOPIFY_API_SECRET)) return { ok: false, response: problem(401, "invalid HMAC") };
  try {
    return { ok: true, payload: parseJsonLossless(body.toString("utf8")) };
  } catch (error) {
    if (error instanceof SyntaxError) return { ok: false, response: problem(400, "body is not valid JSON") };
    throw error;
  }
}
