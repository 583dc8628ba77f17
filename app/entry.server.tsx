import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { dbReady, startDatabaseCheckpoints } from "./db.server";
import { logRenderError } from "./request-errors.server";
import { addDocumentResponseHeaders } from "./shopify.server";

export const streamTimeout = 5000;

export { handleError } from "./request-errors.server";

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const readyEvent = userAgent && isbot(userAgent) ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [readyEvent]: () => {
        const body = new PassThrough();
        responseHeaders.set("Content-Type", "text/html");
        resolve(
          new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }),
        );
        pipe(body);
      },
      onShellError: reject,
      onError: (error) => {
        responseStatusCode = 500;
        logRenderError(error);
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}

/** Called by server.mjs before it listens: fails fast on a bad environment and prepares the demo shop. */
export async function startup(): Promise<{ demo: boolean }> {
  await dbReady;
  await startDatabaseCheckpoints();
  if (__AFTERGLOW_DEMO_BUILD__) {
    const { prepareDemoShop } = await import("./demo/prepare.server");
    await prepareDemoShop();
  }
  const { startBackgroundWork } = await import("./services/scheduler.server");
  startBackgroundWork();
  return { demo: __AFTERGLOW_DEMO_BUILD__ };
}
