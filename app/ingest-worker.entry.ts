import { closeDatabase } from "./db.server";
import { log } from "./logger.server";
import { serveIngestRequests } from "./services/ingest-worker.server";

/**
 * The ingest worker thread's own build (docs/decisions/034-ingest-worker-thread.md): `npm run build` bundles this
 * file alone into build/ingest-worker/index.js (vite.ingest-worker.config.ts), and ingest-worker.mjs imports it in
 * the thread server.mjs starts. It holds the group commit and what it needs (services, models, domain, the database
 * client) and none of the pages, React or the Shopify library the Remix build loads: a worker that imported the
 * whole build held some 80 MB more for nothing.
 *
 * `runIngestWorker` applies the events it is sent until it is asked to stop, then closes the worker's database pools.
 */
export async function runIngestWorker(port: Parameters<typeof serveIngestRequests>[0]): Promise<void> {
  await serveIngestRequests(port);
  await closeDatabase();
  log.info("ingest worker stopped");
}
