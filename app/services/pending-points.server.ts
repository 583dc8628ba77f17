import { pendingCap, pointsAvailableAt, type PendingWindow } from "~/domain/loyalty/pending";
import { pendingSetting, type LoyaltyProgram } from "~/domain/loyalty/program";
import { readStoredPolicy } from "~/domain/returns/stored";
import { versionInForce } from "~/domain/returns/versions";
import { errorName, log } from "~/logger.server";
import { pendingFactsFor, upsertPendingPoints, type PendingFacts } from "~/models/pending-points.server";
import { readAhead, sendAhead, type SqlTx } from "~/models/transaction.server";
import { usableTimeZone } from "./return-eligibility.server";

/**
 * Orders' points wait out their return windows (docs/decisions/043-pending-points.md). Runs inside an order event's
 * transaction, under the order's lock, before the customer's balance is recomputed (which counts what the orders'
 * PendingPoints rows hold as pending):
 * - an order booking its points now, while the programme's setting is on, gets a PendingPoints row dated by the rule
 *   of app/domain/loyalty/pending.ts (none when that date has already passed: an old imported order, a final sale);
 * - an order already holding points whose row is not released yet gets its date moved when its fulfilment or delivery
 *   changes it (within the longest wait fixed at booking).
 * With the setting off nothing is read or written: orders booked from then on earn available points, and rows already
 * pending keep their date.
 */
interface OrderToHold {
  orderId: string;
  /** The order books its points in this event (its "order" ledger row is new). */
  bookedNow: boolean;
}

/** Orders' pending facts read ahead (`pendingFactsAhead`): how to get them once they are needed. */
export type PendingFactsRead = () => PromiseLike<PendingFacts>;

/**
 * Sends the read of `orderIds`' pending facts now, behind the statement just sent (the orders' upsert), without
 * waiting for it: `holdOrdersPoints` takes what it needs from them. Read whether or not the programme holds points
 * (the programme comes back with the upsert): a read that is not needed costs less than a round trip more.
 */
export function pendingFactsAhead(tx: SqlTx, shop: string, orderIds: string[]): PendingFactsRead {
  return readAhead(tx, () => pendingFactsFor(tx, shop, orderIds));
}

export async function holdOrdersPoints(
  tx: SqlTx,
  shop: string,
  orders: OrderToHold[],
  program: LoyaltyProgram,
  now: Date,
  factsRead?: PendingFactsRead,
): Promise<void> {
  const setting = pendingSetting(program);
  if (!setting.enabled || !orders.length) return;
  const wanted = new Set(orders.map((o) => o.orderId));
  const read = factsRead ?? (() => pendingFactsFor(tx, shop, [...wanted]));
  const facts = await read();
  const bookedNow = new Set(orders.filter((o) => o.bookedNow).map((o) => o.orderId));
  const zone = facts.timeZone ? usableTimeZone(shop, facts.timeZone) : "UTC";
  const versions = facts.versions.map((v) => ({ ...v, createdAt: v.savedAt }));
  const holds: { orderId: string; availableAt: Date; capAt: Date }[] = [];
  for (const order of facts.orders) {
    if (!wanted.has(order.id)) continue;
    const { hold } = order;
    if (hold?.releasedAt) continue;
    // Booked while the setting was off: available from the start.
    if (!hold && !bookedNow.has(order.id)) continue;
    const capAt = hold?.capAt ?? pendingCap(order.placedAt, setting.maxDays, zone);
    const availableAt = pointsAvailableAt(order, windowOf(shop, versionInForce(versions, order.placedAt)?.settings ?? null), capAt, zone);
    if (!hold && availableAt.getTime() <= now.getTime()) continue;
    if (hold && hold.availableAt.getTime() === availableAt.getTime()) continue;
    holds.push({ orderId: order.id, availableAt, capAt });
  }
  // Travels with the balances' statement that follows (which counts these rows).
  await sendAhead(tx, () => upsertPendingPoints(tx, shop, holds, now));
}

/** The return window of a stored policy version (null: none saved, or one that no longer validates: the longest wait). */
function windowOf(shop: string, settings: string | null): PendingWindow {
  if (settings === null) return null;
  try {
    const policy = readStoredPolicy(settings);
    return { windowStart: policy.windowStart, windowDays: policy.windowDays };
  } catch (error) {
    log.warn("pending points: stored return policy unreadable, points wait the longest", { shop, error: errorName(error) });
    return null;
  }
}
