// The HTTP server for both builds: `node server.mjs` serves build/ (production),
// `node server.mjs --demo` serves build-demo/ (the demo shop, loopback only).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);
/** Within Kubernetes' default 30 s grace period (after which it sends SIGKILL). */
const SHUTDOWN_DEADLINE_MS = 25_000;
/** How long the ingest worker thread may take to load the build before the server starts without it. */
const INGEST_WORKER_START_MS = 30_000;
/**
 * The ingest worker's young generation (V8's default is 48 MB): a group's events are garbage once it commits, so a
 * small nursery collects them as well, and the process's peak memory during a historical import is about 30 MB lower.
 */
const INGEST_WORKER_YOUNG_GENERATION_MB = 16;

// Until it listens, a stop request just ends the process; then it stops in order (below).
let shutdown = () => process.exit(1);

/**
 * Serves build/ (or build-demo/ with `demo`) until SIGTERM or SIGINT. `adaptBuild` receives the imported Remix
 * build and returns the one to serve; `node server.mjs` serves it as it is (the benchmark adds its floor route
 * through it: bench/lib/floor-server.mjs).
 */
export async function serve({ demo = false, adaptBuild = (build) => build } = {}) {
  const buildDir = path.resolve(demo ? "build-demo" : "build");
  // The demo stops when the script that started it (scripts/demo.mjs, through an IPC channel) is gone, even killed.
  if (demo && process.send) process.on("disconnect", () => shutdown());
  // Importing the build validates the environment (app/env.server.ts) and throws on anything wrong,
  // including AFTERGLOW_DEMO=1 on a production build.
  const buildUrl = pathToFileURL(path.join(buildDir, "server", "index.js")).href;
  const build = adaptBuild(await import(buildUrl));
  const { demo: isDemoBuild, stopBackground, stop: stopApp } = await build.entry.module.startup();
  if (demo !== isDemoBuild) {
    throw new Error(`--demo ${demo ? "given" : "missing"} but ${buildDir} is a ${isDemoBuild ? "demo" : "production"} build`);
  }
  const ingestWorker = process.env.AFTERGLOW_INGEST_WORKER === "off" ? undefined : await startIngestWorker(build, buildDir);

  const host = process.env.HOST ?? (isDemoBuild ? "127.0.0.1" : "0.0.0.0");
  if (isDemoBuild && !LOOPBACK.has(host)) throw new Error(`the demo listens on loopback only, not ${host}`);
  const port = Number(process.env.PORT ?? 3000);

  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use("/assets", express.static(path.join(buildDir, "client", "assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

  const server = app.listen(port, host, () => {
    console.log(JSON.stringify({ level: "info", msg: "listening", url: `http://${host}:${port}`, demo: isDemoBuild }));
  });
  // Shutdown (SIGTERM from a deploy or a scale-down): stop taking requests and let those in flight finish, while the
  // background work stops claiming and gives back what it holds (job leases released, claimed outbox messages back
  // to pending); then close the database pools and exit. An instance that does not get there within
  // SHUTDOWN_DEADLINE_MS exits anyway: its leases run out and other instances take its work over.
  let stopping = false;
  shutdown = () => {
    if (stopping) return;
    stopping = true;
    console.log(JSON.stringify({ level: "info", msg: "shutting down" }));
    const deadline = setTimeout(() => {
      console.log(JSON.stringify({ level: "warn", msg: "shutdown deadline passed; exiting" }));
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    // The ingest worker stops once no request can hand it an event: after the HTTP server drained.
    const closed = new Promise((resolve) => server.close(resolve)).then(() => ingestWorker?.stop());
    Promise.all([closed, stopBackground()])
      .then(() => stopApp())
      .then(
        () => process.exit(0),
        (error) => {
          console.log(JSON.stringify({ level: "error", msg: "shutdown failed", error: error instanceof Error ? error.name : "unknown" }));
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", () => shutdown());
  process.on("SIGINT", () => shutdown());
}

/**
 * Starts the ingest worker thread (ingest-worker.mjs, docs/decisions/034-ingest-worker-thread.md) on the worker's
 * own build (<build>/ingest-worker/index.js, made by `npm run build` beside the Remix build) and, once it has loaded
 * it, sends it every webhook event to apply. Its database pool is small: it runs one group transaction at a time, and
 * its young generation too (it allocates one group's events at a time). A worker that fails to start (its build
 * missing included) is logged and the server applies events on its main thread.
 */
async function startIngestWorker(build, buildDir) {
  const worker = new Worker(new URL("./ingest-worker.mjs", import.meta.url), {
    workerData: { moduleUrl: pathToFileURL(path.join(buildDir, "ingest-worker", "index.js")).href },
    env: { ...process.env, DATABASE_POOL_SIZE: "2" },
    resourceLimits: { maxYoungGenerationSizeMb: INGEST_WORKER_YOUNG_GENERATION_MB },
  });
  const ready = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), INGEST_WORKER_START_MS);
    worker.once("message", (message) => {
      clearTimeout(timer);
      resolve(message?.kind === "ready");
    });
    worker.once("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!ready) {
    console.log(JSON.stringify({ level: "error", msg: "ingest worker did not start; webhooks are applied on the main thread" }));
    await worker.terminate();
    return undefined;
  }
  const attached = build.entry.module.attachIngestWorker(worker);
  console.log(JSON.stringify({ level: "info", msg: "ingest worker started" }));
  return attached;
}

/** Logs why the server did not start and exits 1. */
export function refuseToStart(error) {
  console.error(`Afterglow refused to start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  serve({ demo: process.argv.includes("--demo") }).catch(refuseToStart);
}
