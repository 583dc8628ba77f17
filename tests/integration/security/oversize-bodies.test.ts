import http from "node:http";
import net from "node:net";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_SURVEY_BYTES, action as surveyAction } from "~/routes/api.checkout.survey";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { MAX_WEBHOOK_BYTES } from "~/shopify/webhook-request.server";
import { checkoutToken, EXTENSION_ORIGIN } from "../../support/checkout";
import { installShop } from "../../support/sessions";
import { signedWebhook } from "../../support/webhooks";

/**
 * Oversize chunked bodies through a real HTTP server: a node:http server that hands each request to the real route
 * action the way @remix-run/express does (the body as `createReadableStreamFromReadable(req)`, the same stream whose
 * cancel destroys the socket), and a raw socket that sends `Transfer-Encoding: chunked` past the limit. The client
 * must receive a complete `HTTP/1.1 413` answer with its JSON reason, not a reset connection.
 */
type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;

const SHOP = "oversize.myshopify.com";
const ROUTES: Record<string, Action> = {
  "/webhooks/orders/create": ordersCreate as Action,
  "/webhooks/customers/redact": customersRedact as Action,
  "/api/checkout/survey": surveyAction as unknown as Action,
};

let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    void (async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v);
      }
      const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(url, {
        method: req.method,
        headers,
        ...(hasBody ? { body: createReadableStreamFromReadable(req), duplex: "half" } : {}),
      } as RequestInit);
      const route = ROUTES[url.pathname];
      const response = route ? await route({ request, params: {}, context: {} }) : new Response(null, { status: 404 });
      res.statusCode = response.status;
      response.headers.forEach((value, name) => res.setHeader(name, value));
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => res.destroy(error as Error));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Sends a chunked POST of `totalBytes` spaces over a raw socket and returns everything the server wrote back. */
async function chunkedPost(path: string, headers: Headers, totalBytes: number): Promise<string> {
  const socket = net.connect(port, "127.0.0.1");
  const received: Buffer[] = [];
  socket.on("data", (data: Buffer) => received.push(data));
  const closed = new Promise<void>((resolve) => {
    socket.on("close", () => resolve());
    socket.on("error", () => resolve());
  });
  await once(socket, "connect");
  const head = [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, "Transfer-Encoding: chunked", "Connection: close"];
  headers.forEach((value, name) => {
    if (name !== "content-length" && name !== "host" && name !== "connection") head.push(`${name}: ${value}`);
  });
  socket.write(`${head.join("\r\n")}\r\n\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  for (let sent = 0; sent < totalBytes && !socket.destroyed; sent += chunk.byteLength) {
    const ok = socket.write(Buffer.concat([Buffer.from(`${chunk.byteLength.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]));
    if (!ok) await Promise.race([once(socket, "drain"), closed]);
  }
  if (!socket.destroyed) socket.end("0\r\n\r\n");
  await closed;
  return Buffer.concat(received).toString("utf8");
}

/** The status line and the body of a complete HTTP/1.1 response (Content-Length honoured). */
function parseResponse(raw: string) {
  const split = raw.indexOf("\r\n\r\n");
  expect(split, `a complete response head, got ${JSON.stringify(raw.slice(0, 200))}`).toBeGreaterThan(0);
  const [statusLine, ...headerLines] = raw.slice(0, split).split("\r\n");
  const length = Number(headerLines.find((l) => /^content-length:/i.test(l))?.split(":")[1]);
  const body = raw.slice(split + 4);
  expect(Buffer.byteLength(body)).toBe(length);
  return { statusLine, body };
}

describe("an oversize chunked body through a real HTTP server", () => {
  it.each([
    ["/webhooks/orders/create (lean verification)", "/webhooks/orders/create", "orders/create"],
    ["/webhooks/customers/redact (library verification)", "/webhooks/customers/redact", "customers/redact"],
  ])("%s answers a complete 413 with its reason", async (_label, path, topic) => {
    const headers = signedWebhook({ topic, shop: SHOP, body: {} }).headers;
    const raw = await chunkedPost(path, headers, MAX_WEBHOOK_BYTES + 256 * 1024);
    const { statusLine, body } = parseResponse(raw);
    expect(statusLine).toBe("HTTP/1.1 413 Payload Too Large");
    expect(JSON.parse(body)).toEqual({ errors: [`body larger than ${MAX_WEBHOOK_BYTES} bytes`] });
  });

  it("POST /api/checkout/survey answers a complete 413 with its reason", async () => {
    await installShop(SHOP);
    const headers = new Headers({
      Origin: EXTENSION_ORIGIN,
      Authorization: `Bearer ${await checkoutToken(SHOP.replace(".myshopify.com", ""))}`,
      "Content-Type": "application/json",
    });
    const raw = await chunkedPost("/api/checkout/survey", headers, MAX_SURVEY_BYTES + 128 * 1024);
    const { statusLine, body } = parseResponse(raw);
    expect(statusLine).toBe("HTTP/1.1 413 Payload Too Large");
    expect(JSON.parse(body)).toEqual({ errors: { body: `Larger than ${MAX_SURVEY_BYTES} bytes` } });
  });

  it("still answers a body within the limit normally over the same server (the harness itself is sound)", async () => {
    const headers = signedWebhook({ topic: "orders/create", shop: SHOP, body: {} }).headers;
    const raw = await chunkedPost("/webhooks/orders/create", headers, 64 * 1024);
    // 64 KB of spaces is no JSON object: the signature fails first (it was made over "{}"), a complete 401.
    expect(parseResponse(raw).statusLine).toBe("HTTP/1.1 401 Unauthorized");
  });
});
