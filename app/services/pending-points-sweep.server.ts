import { errorName, log } from "~/logger.server";
import { claimPeriodicRun, INSTANCE_ID } from "~/models/jobs.server";
import { lockCustomerStanding } from "~/models/loyalty.server";
import { duePendingOrders, pointHoldersOf, releasePendingPoints } from "~/models/pending-points.server";
import { installedShops } from "~/models/shops.server";
import { inTransactionRetrying } from "~/models/transaction.server";
import { isShuttingDown } from "./job-runner.server";
import { refreshReleasedStandings } from "./loyalty-ledger.server";

/**
 * Pending points become available (docs/decisions/043-pending-points.md): every hour, the one instance that claims
 * the hour (a PeriodicRun row) releases, shop by shop, the PendingPoints rows whose date has passed, and recomputes
 * the balances of the customers who hold those orders' points (available up, pending down, the next date moved) with
 * their `$app:loyalty.status` metafield queued in the outbox.
 *
 * Nothing rests on one instance running it: a batch locks its customers (id order, as every balance change does),
 * then releases the rows still unreleased and due in the same statement that reads them, skipping rows an order event
 * holds (`SKIP LOCKED`; the next round or hour takes them). A second sweep of the same rows finds them released and
 * changes nothing.
 */

const HOUR_MS = 3_600_000;
/** How often each instance's timer asks (the period one instance claims). */
export const PENDING_POINTS_SWEEP_MS = HOUR_MS;
/** Orders released per transaction. */
const BATCH = 200;

const utcHour = (at: Date) => at.toISOString().slice(0, 13);

/** The sweep over every installed shop by the caller that claims the hour of `now`; false when another had claimed it. */
export async function sweepPendingPointsAllShops(now = new Date(), owner = INSTANCE_ID): Promise<boolean> {
  if (!(await claimPeriodicRun("pending points sweep", utcHour(now), now, owner))) return false;
  for (const shop of await installedShops()) {
    if (isShuttingDown()) break;
    try {
      const released = await releaseDuePendingPoints(shop, now);
      if (released) log.info("pending points released", { shop, orders: released });
    } catch (error) {
      log.error("pending points sweep failed", { shop, error: errorName(error) });
    }
  }
  return true;
}

/** One shop: releases every order whose points are due by `now`, a batch per transaction. Returns how many it released. */
export async function releaseDuePendingPoints(shop: string, now: Date, batch = BATCH): Promise<number> {
  let released = 0;
  for (;;) {
    const due = await duePendingOrders(shop, now, batch);
    if (!due.length) return released;
    const done = await inTransactionRetrying(async (tx) => {
      const locked = await lockCustomerStanding(tx, shop, await pointHoldersOf(tx, shop, due));
      const orders = await releasePendingPoints(tx, shop, due, now);
      if (!orders.length) return 0;
      // An order moved to another customer between the two reads: lock its new holder too.
      const late = (await pointHoldersOf(tx, shop, orders)).filter((id) => !locked.has(id));
      for (const [id, standing] of await lockCustomerStanding(tx, shop, late)) locked.set(id, standing);
      await refreshReleasedStandings(tx, shop, locked, now);
      return orders.length;
    });
    released += done;
    // Rows skipped (an order event holds them) are left to the next hour rather than read again at once.
    if (done < due.length || due.length < batch || isShuttingDown()) return released;
  }
}
