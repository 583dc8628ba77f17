import { errorName, log } from "~/logger.server";
import { installedShops } from "~/models/shops.server";
import { resumeInterruptedRecomputes, sweepRollingWindow } from "./loyalty.server";
import { startOutboxWorker } from "./outbox.server";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The daily rolling-window sweep over every installed shop. */
export async function sweepAllShops(now = new Date()) {
  for (const shop of await installedShops()) {
    try {
      await sweepRollingWindow(shop, now);
    } catch (error) {
      log.error("rolling-window sweep failed", { shop, error: errorName(error) });
    }
  }
}

/**
 * Background work of a running server: the outbox worker, recompute jobs a crash interrupted, and the daily sweep.
 * Started once by server start-up (app/entry.server.tsx), never by tests.
 */
export function startBackgroundWork(): () => void {
  const stopOutbox = startOutboxWorker();
  void resumeInterruptedRecomputes();
  const sweep = setInterval(() => void sweepAllShops(), DAY_MS);
  sweep.unref();
  void sweepAllShops();
  return () => {
    stopOutbox();
    clearInterval(sweep);
  };
}
