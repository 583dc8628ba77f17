// The ingest worker thread that server.mjs starts (docs/decisions/034-ingest-worker-thread.md): it imports the
// worker's own build (build/ingest-worker/index.js, from app/ingest-worker.entry.ts; not the Remix build with its
// pages) and applies the webhook events the main thread sends it, on database connections of its own, until the main
// thread asks it to stop.
import { parentPort, workerData } from "node:worker_threads";

const worker = await import(workerData.moduleUrl);
parentPort.postMessage({ kind: "ready" });
await worker.runIngestWorker(parentPort);
process.exit(0);
