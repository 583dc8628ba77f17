import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { errorName, log } from "./logger.server";

/**
 * WAL checkpoints off the request thread (docs/decisions/019-webhook-throughput.md).
 *
 * In WAL mode every commit appends its pages to the -wal file; a checkpoint copies them back into the database file
 * and syncs it. SQLite's default is to checkpoint inside the commit that makes the WAL pass 1,000 pages, on the
 * connection that committed: in this app the one writer connection, on the event loop, during a webhook. A worker
 * thread with its own connection runs passive checkpoints instead (they never take the write lock or wait for
 * readers), so the event loop only appends to the WAL. The writer keeps an automatic checkpoint at a much larger
 * size as a backstop: if the worker stops, or never catches up under a sustained burst, the WAL stays bounded.
 */

/** How often the worker checkpoints. Small batches keep each one short, so it often catches up between commits. */
export const CHECKPOINT_INTERVAL_MS = 25;
/** The writer's own automatic checkpoint while the worker runs: 8,000 pages, 32 MiB of WAL. */
export const BACKSTOP_PAGES = 8000;
/** SQLite's default, restored on the writer when the worker is stopped or fails. */
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

// Runs in the worker (CommonJS, evaluated from this string so the server bundle needs no second entry point).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
let failures = 0;
setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
    failures = 0;
  } catch (error) {
    // SQLITE_BUSY: another checkpoint is running (the writer's backstop); the next tick tries again.
    if (error && error.code === "SQLITE_BUSY") return;
    if (++failures === 3) parentPort.postMessage({ failed: (error && error.code) || "error" });
  }
}, workerData.intervalMs);
parentPort.postMessage({ started: true });
`;

export interface CheckpointWriter {
  /** Sets the writer connection's `wal_autocheckpoint` (pages; 0 turns it off). */
  setAutocheckpoint(pages: number): void;
}

/**
 * Starts the checkpoint worker on the SQLite file `file` and raises the writer's automatic checkpoint to the
 * backstop once the worker runs. Resolves to a stop function (which restores SQLite's default on the writer).
 * If the worker cannot start or fails, the writer's default checkpoint is restored and the app goes on as before.
 */
export async function startBackgroundCheckpoints(file: string, writer: CheckpointWriter): Promise<() => Promise<void>> {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs: CHECKPOINT_INTERVAL_MS } });
  worker.unref();
  let running = false;
  /** Gives checkpoints back to the writer; true if the worker was running until now. */
  const standDown = () => {
    if (!running) return false;
    running = false;
    writer.setAutocheckpoint(DEFAULT_AUTOCHECKPOINT_PAGES);
    return true;
  };
  const fallBack = (reason: string) => {
    if (standDown()) log.warn("background checkpoints stopped; the writer checkpoints itself again", { reason });
  };
  await new Promise<void>((resolve) => {
    worker.on("message", (message: { started?: boolean; failed?: string }) => {
      if (message.started) {
        running = true;
        writer.setAutocheckpoint(BACKSTOP_PAGES);
        resolve();
      } else if (message.failed) {
        fallBack(message.failed);
        void worker.terminate();
      }
    });
    worker.on("error", (error) => {
      fallBack(errorName(error));
      resolve();
    });
    worker.on("exit", () => {
      fallBack("exited");
      resolve();
    });
  });
  return async () => {
    standDown();
    await worker.terminate();
  };
}
