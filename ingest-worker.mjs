// The ingest worker thread that server.mjs starts (docs/decisions/034-ingest-worker-thread.md): it imports the same
// Remix build as the server and applies the webhook events the main thread sends it, on database connections of its
// own, until the main thread asks it to stop.
import { parentPort, workerData } from "node:worker_threads";

const build = await import(workerData.buildUrl);
parentPort.postMessage({ kind: "ready" });
await build.entry.module.runIngestWorker(parentPort);
process.exit(0);
