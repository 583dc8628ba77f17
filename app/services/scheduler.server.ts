import { errorName, log } from "~/logger.server";
import { installedShops } from "~/models/shops.server";
import { withSessionTryLock } from "~/models/transaction.server";
import { resumeInterruptedRecomputes, sweepRollingWindow } from "./loyalty.server";
import { startOutboxWorker } from "./outbox.server";
import { shopsWithPendingSurveyAnswers, sweepPendingAnswers } from "./survey-answers.server";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Pending survey answers live at most 72 hours (decision 022); an hourly sweep keeps that within the hour. */
const PENDING_SWEEP_MS = 60 * 60 * 1000;

/** A shop is swept once a day, across every instance; an hour of slack for timers that drift between them. */
const SWEEP_ONCE_PER_MS = DAY_MS - 60 * 60 * 1000;

/**
 * The daily rolling-window sweep over every installed shop. Every instance runs this timer; one at a time sweeps (a
 * session-level advisory lock), and a shop swept in the last day by any of them is skipped.
 */
export async function sweepAllShops(now = new Date()) {
  const outcome = await withSessionTryLock("rolling-window sweep", async () => {
    for (const shop of await installedShops()) {
      try {
        await sweepRollingWindow(shop, now, { oncePerMs: SWEEP_ONCE_PER_MS });
      } catch (error) {
        log.error("rolling-window sweep failed", { shop, error: errorName(error) });
      }
    }
  });
  if (!outcome.locked) log.info("rolling-window sweep skipped: another instance is sweeping");
}

/** The hourly clean-up of survey answers whose order never arrived, over every shop that holds some (one instance at a time). */
export async function sweepPendingAnswersAllShops(now = new Date()) {
  await withSessionTryLock("pending survey answer sweep", async () => {
    for (const shop of await shopsWithPendingSurveyAnswers()) {
      try {
        const { settled, expired } = await sweepPendingAnswers(shop, now);
        if (settled || expired) log.info("pending survey answers swept", { shop, settled, expired });
      } catch (error) {
        log.error("pending survey answer sweep failed", { shop, error: errorName(error) });
      }
    }
  });
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
