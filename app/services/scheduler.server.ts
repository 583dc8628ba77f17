import { errorName, log } from "~/logger.server";
import { installedShops } from "~/models/shops.server";
import { resumeInterruptedRecomputes, sweepRollingWindow } from "./loyalty.server";
import { startOutboxWorker } from "./outbox.server";
import { shopsWithPendingSurveyAnswers, sweepPendingAnswers } from "./survey-answers.server";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Pending survey answers live at most 72 hours (decision 022); an hourly sweep keeps that within the hour. */
const PENDING_SWEEP_MS = 60 * 60 * 1000;

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

/** The hourly clean-up of survey answers whose order never arrived, over every shop that holds some. */
export async function sweepPendingAnswersAllShops(now = new Date()) {
  for (const shop of await shopsWithPendingSurveyAnswers()) {
    try {
      const { settled, expired } = await sweepPendingAnswers(shop, now);
      if (settled || expired) log.info("pending survey answers swept", { shop, settled, expired });
    } catch (error) {
      log.error("pending survey answer sweep failed", { shop, error: errorName(error) });
    }
  }
}

/**
 * Background work of a running server: the outbox worker, recompute jobs a crash interrupted, the daily sweep and
 * the hourly sweep of pending survey answers.
 * Started once by server start-up (app/entry.server.tsx), never by tests.
 */
export function startBackgroundWork(): () => void {
  const stopOutbox = startOutboxWorker();
  void resumeInterruptedRecomputes();
  const sweep = setInterval(() => void sweepAllShops(), DAY_MS);
  sweep.unref();
  void sweepAllShops();
  const pendingSweep = setInterval(() => void sweepPendingAnswersAllShops(), PENDING_SWEEP_MS);
  pendingSweep.unref();
  void sweepPendingAnswersAllShops();
  return () => {
    stopOutbox();
    clearInterval(sweep);
    clearInterval(pendingSweep);
  };
}
