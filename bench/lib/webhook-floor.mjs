// The benchmark's floor for webhook ingest, POST /bench/webhook-floor: it reads the body, checks its HMAC exactly
// as a webhook must be checked (app/shopify/webhook-signature.server.ts, `hasValidHmac`), and answers, doing
// nothing else. It is not part of the app: bench/lib/floor-server.mjs adds it to the production build's routes, so
// it is served by the same Express stack and the same Remix request handler as the real webhook routes, and the
// ratio ingest / floor measures only what the ingest route does beyond verifying a delivery.
import { createHmac, timingSafeEqual } from "node:crypto";

export const WEBHOOK_FLOOR_PATH = "/bench/webhook-floor";
const ROUTE_ID = "bench/webhook-floor";

/** True when `signature` (base64) is the HMAC-SHA256 of `body` with `secret`; constant time. As the app's own check. */
export function hasValidHmac(body, signature, secret) {
  const given = Buffer.from(signature, "base64");
  const expected = createHmac("sha256", secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The floor as a Remix route module: GET is a 404 (as any unknown path), POST answers 200 or 401. */
export function webhookFloorModule(secret) {
  const notFound = () => new Response(null, { status: 404 });
  return {
    loader: notFound,
    async action({ request }) {
      const body = Buffer.from(await request.arrayBuffer());
      const valid = hasValidHmac(body, request.headers.get("x-shopify-hmac-sha256") ?? "", secret);
      return new Response(null, { status: valid ? 200 : 401 });
    },
  };
}

/** `build` (a Remix server build) with the floor added as a resource route under the root route. */
export function withWebhookFloor(build, secret) {
  const route = { id: ROUTE_ID, parentId: "root", path: WEBHOOK_FLOOR_PATH.slice(1), index: undefined, caseSensitive: undefined, module: webhookFloorModule(secret) };
  return { ...build, routes: { ...build.routes, [ROUTE_ID]: route } };
}
