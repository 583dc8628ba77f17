import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { closeDatabase, dbReady, openPoolConnections } from "./db.server";
import { log } from "./logger.server";
import { oncePerProcess } from "./once-per-process.server";
import { logRenderError } from "./request-errors.server";
import { importAfterInstall } from "./services/app-lifecycle.server";
import { addDocumentResponseHeaders, onTokenExchange } from "./shopify.server";

export const streamTimeout = 5000;

// A (re)install imports the shop's past orders in the background (the hook runs after a token exchange stored the
// sessions; the service tells an install from a staff member's renewal). Registered here, on top of the layers:
// shopify.server.ts calls no service itself.
onTokenExchange((shop, graphql) => importAfterInstall(shop, graphql));

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

/**
 * Called before the app serves: by server.mjs before it listens (production and demo), and by the development
 * server (`shopify app dev` → `remix vite:dev`, vite.config.ts) once it listens. Fails fast on a bad environment,
 * prepares the demo shop, and starts the background work (outbox delivery, the takeover of jobs other instances left,
 * the sweeps) — once per process, however often Vite re-evaluates this module after an edit.
 */
export function startup(): Promise<{ demo: boolean; stopBackground: () => Promise<void>; stop: () => Promise<void> }> {
  return oncePerProcess("startup", async () => {
    await dbReady.catch((error: unknown) => {
      throw new Error(`the database of DATABASE_URL did not answer (${error instanceof Error ? error.message : String(error)})`);
    });
    await openPoolConnections();
    if (__AFTERGLOW_DEMO_BUILD__) {
      const { prepareDemoShop } = await import("./demo/prepare.server");
      await prepareDemoShop();
    }
    const { startBackgroundWork } = await import("./services/scheduler.server");
    const stopBackgroundWork = startBackgroundWork();
    log.info("background work started", { demo: __AFTERGLOW_DEMO_BUILD__ });
    /**
     * Shutdown, first half (server.mjs on SIGTERM / SIGINT, while the HTTP server drains): nothing new is claimed;
     * jobs stop at their next step and release their leases; the outbox worker finishes its call in flight and puts
     * back the messages it claimed (docs/decisions/027-job-leases.md). Resolves when done.
     */
    let backgroundStopped: Promise<void> | undefined;
    const stopBackground = () => {
      backgroundStopped ??= stopBackgroundWork().then(() => log.info("background work stopped"));
      return backgroundStopped;
    };
    /** Shutdown, second half (after the HTTP server closed): the background work stopped, then the pools closed. */
    const stop = async () => {
      await stopBackground();
      await closeDatabase();
    };
    return { demo: __AFTERGLOW_DEMO_BUILD__, stopBackground, stop };
  });
}

/**
 * The Google Pub/Sub webhook consumer (`npm run consume:pubsub`: scripts/consume-pubsub.mjs imports this build and
 * calls it; docs/decisions/026-pubsub-consumer.md). Loaded on demand: a web instance never loads it.
 */
export const loadPubSubConsumer = () => import("./pubsub/consumer.server");

/**
 * The ingest worker thread (docs/decisions/034-ingest-worker-thread.md) runs a build of its own
 * (app/ingest-worker.entry.ts); on the main thread, `attachIngestWorker` sends it every parsed webhook event.
 */
export { attachIngestWorker } from "./services/ingest-worker.server";
