import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { hasValidHmac as appHasValidHmac } from "~/shopify/webhook-signature.server";
import { hasValidHmac, WEBHOOK_FLOOR_PATH, withWebhookFloor } from "../../bench/lib/webhook-floor.mjs";
import { restOrder } from "../support/orders";
import { signedWebhook, TEST_SECRET } from "../support/webhooks";

/**
 * The benchmark's HMAC-only floor lives in bench/ (bench/lib/webhook-floor.mjs), added to the production build's
 * routes by bench/lib/floor-server.mjs, not in app/routes. The ratio ingest / floor stays comparable with earlier
 * runs only if the floor still does what the app route did: the same HMAC check, behind the same Remix handler.
 */
const root = { id: "root", path: "", module: {} };
const build = {
  mode: "production",
  basename: undefined,
  entry: { module: { default: () => new Response("document", { status: 200 }) } },
  routes: { root },
  assets: { entry: { imports: [], module: "" }, routes: {}, url: "", version: "" },
  future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true, v3_singleFetch: true, v3_routeConfig: true },
  publicPath: "/",
  assetsBuildDirectory: "",
  isSpaMode: false,
  static: undefined,
} as unknown as ServerBuild;

function floorRequest(secret: string | null, body: unknown = restOrder({ id: 1001 })) {
  const webhook = signedWebhook({ topic: "orders/create", shop: "floor.myshopify.com", body, secret });
  return new Request(`https://afterglow.test${WEBHOOK_FLOOR_PATH}`, { method: "POST", headers: webhook.headers, body: webhook.body, duplex: "half" } as RequestInit);
}

describe("the benchmark's webhook floor (bench/lib/webhook-floor.mjs)", () => {
  it("checks a delivery's HMAC exactly as the app does", () => {
    const body = Buffer.from(JSON.stringify(restOrder({ id: 1001 })));
    const signature = signedWebhook({ topic: "orders/create", shop: "floor.myshopify.com", body: restOrder({ id: 1001 }) }).headers.get("x-shopify-hmac-sha256")!;
    const cases: [Buffer, string, string][] = [
      [body, signature, TEST_SECRET],
      [body, signature, "another-secret"],
      [Buffer.concat([body, Buffer.from(" ")]), signature, TEST_SECRET],
      [body, signature.slice(0, -4), TEST_SECRET],
      [body, "", TEST_SECRET],
      [body, "not base64 at all!", TEST_SECRET],
    ];
    const verdicts = cases.map(([b, s, secret]) => hasValidHmac(b, s, secret));
    expect(verdicts).toEqual(cases.map(([b, s, secret]) => appHasValidHmac(b, s, secret)));
    expect(verdicts).toEqual([true, false, false, false, false, false]);
  });

  it("is served through Remix's request handler once added to a build: 200 signed, 401 forged or unsigned, 404 for GET", async () => {
    const handler = createRequestHandler(withWebhookFloor(build, TEST_SECRET));
    expect((await handler(floorRequest(TEST_SECRET))).status).toBe(200);
    expect((await handler(floorRequest("wrong"))).status).toBe(401);
    expect((await handler(floorRequest(null))).status).toBe(401);
    expect((await handler(new Request(`https://afterglow.test${WEBHOOK_FLOOR_PATH}`))).status).toBe(404);
  });

  it("leaves the build's own routes as they are", () => {
    const floored = withWebhookFloor(build, TEST_SECRET);
    expect(Object.keys(build.routes)).toEqual(["root"]);
    expect(Object.keys(floored.routes)).toEqual(["root", "bench/webhook-floor"]);
    expect(floored.routes["bench/webhook-floor"]).toMatchObject({ parentId: "root", path: "bench/webhook-floor" });
  });
});
