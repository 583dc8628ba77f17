import { errorName, log } from "~/logger.server";
import { claimPeriodicRun, INSTANCE_ID } from "~/models/jobs.server";
import { lockCustomerStanding } from "~/models/loyalty.server";
import { expireIssuedRedemption, redemptionsToSweep, type Redemption } from "~/models/rewards.server";
import { installedShops } from "~/models/shops.server";
import { inTransaction } from "~/models/transaction.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { adminGraphqlForShop } from "~/shopify/admin-for-shop.server";
import { findCodeDiscount } from "~/shopify/discount-codes.server";
import { isShuttingDown } from "./job-runner.server";
import { giveRedemptionPointsBack, refuseAndRefund, settleIssued } from "./rewards.server";

/**
 * The rewards sweep (docs/decisions/035-rewards-redemption.md), every 10 minutes, run by the one instance that claims
 * the period (a PeriodicRun row), over every installed shop:
 * - **Expiry**: an issued code unused `EXPIRY_GRACE_MS` after its end becomes `expired` and its points come back
 *   ("redemption-reversal", keyed "redeem-reversal:<id>", the key a refusal uses: a redemption gives its points back
 *   once at most). The grace lets an order placed just before the end, whose webhook arrives late (Shopify retries for
 *   hours; deliveries can arrive a day late), mark the code used first.
 * - **Pending settlement**: a redemption still `pending` `PENDING_AFTER_MS` after it began (its process stopped, or
 *   Shopify's answer and the lookup both failed) is settled by looking its code up (`codeDiscountNodeByCode`): found,
 *   issued; absent, refused with its points back; the lookup failing again, it stays pending for the next sweep.
 *
 * Nothing rests on one instance running it: each redemption moves under its customer's row lock with its status in
 * the statement's condition (a second sweep, a late create answer or an order webhook that got there first leaves it
 * alone), and the ledger key is unique.
 */

const MINUTE_MS = 60_000;
export const EXPIRY_GRACE_MS = 2 * 24 * 60 * MINUTE_MS;
export const PENDING_AFTER_MS = 10 * MINUTE_MS;
/** How often each instance's timer asks (the period one instance claims). */
export const REWARD_SWEEP_MS = 10 * MINUTE_MS;
/** Redemptions read per query; a shop with more is swept in several rounds of one run. */
const BATCH = 200;

/** A 10-minute period as a key ("2026-12-04T01:3"). */
const tenMinutes = (at: Date) => at.toISOString().slice(0, 15);

interface SweepOptions {
  /** The Admin API for the shop (default: its offline session, or the demo recorder). */
  graphql?: (shop: string) => Promise<AdminGraphql>;
  batch?: number;
}

interface RewardSweepResult {
  expired: number;
  issued: number;
  refused: number;
  stillPending: number;
}

/**
 * The sweep over every installed shop, by the one caller that claims the 10-minute period of `now`; false when another
 * had claimed it. A shop that fails is logged and the others are swept; an instance that stops mid-way leaves the rest
 * to the next period.
 */
export async function sweepRewardsAllShops(now = new Date(), owner = INSTANCE_ID, options: SweepOptions = {}): Promise<boolean> {
  if (!(await claimPeriodicRun("reward code sweep", tenMinutes(now), now, owner))) return false;
  for (const shop of await installedShops()) {
    if (isShuttingDown()) break;
    try {
      const result = await sweepRewardCodes(shop, now, options);
      if (result.expired || result.issued || result.refused || result.stillPending) log.info("reward codes swept", { shop, ...result });
    } catch (error) {
      log.error("reward code sweep failed", { shop, error: errorName(error) });
    }
  }
  return true;
}

/** One shop's sweep (see the module comment). */
export async function sweepRewardCodes(shop: string, now: Date, options: SweepOptions = {}): Promise<RewardSweepResult> {
  const batch = options.batch ?? BATCH;
  const result: RewardSweepResult = { expired: 0, issued: 0, refused: 0, stillPending: 0 };
  const expiredBefore = new Date(now.getTime() - EXPIRY_GRACE_MS);
  const pendingBefore = new Date(now.getTime() - PENDING_AFTER_MS);
  // Pending redemptions left pending by a failed lookup are read again by the next round: settle each once per run.
  const seen = new Set<string>();
  let graphql: AdminGraphql | null | undefined;
  for (;;) {
    const due = await redemptionsToSweep(shop, { expiredBefore, pendingBefore }, batch);
    for (const redemption of due.expired) if (await expire(shop, redemption, expiredBefore, now)) result.expired++;
    const pending = due.pending.filter((r) => !seen.has(r.id));
    if (pending.length) {
      graphql ??= await adminFor(shop, options);
      for (const redemption of pending) {
        seen.add(redemption.id);
        result[graphql ? await settlePending(shop, redemption, graphql, now) : "stillPending"]++;
      }
    }
    // Done when nothing more is due, or the only pending ones left are those this run could not settle.
    if ((due.expired.length < batch && (due.pending.length < batch || pending.length === 0)) || isShuttingDown()) return result;
  }
}

async function adminFor(shop: string, options: SweepOptions): Promise<AdminGraphql | null> {
  try {
    return await (options.graphql ?? adminGraphqlForShop)(shop);
  } catch (error) {
    // No session (uninstalled meanwhile): nothing can be looked up; the redemptions stay pending.
    log.warn("reward sweep: no Admin API session, pending redemptions wait", { shop, error: errorName(error) });
    return null;
  }
}

/** Expires one issued redemption and gives its points back, in one transaction under the customer's lock. */
async function expire(shop: string, redemption: Redemption, expiredBefore: Date, now: Date): Promise<boolean> {
  return inTransaction(async (tx) => {
    const customer = (await lockCustomerStanding(tx, shop, [redemption.customerId])).get(redemption.customerId);
    if (!(await expireIssuedRedemption(tx, shop, redemption.id, expiredBefore, now))) return false;
    if (customer && redemption.points > 0) await giveRedemptionPointsBack(tx, shop, redemption, customer, now);
    return true;
  });
}

/** Looks a pending redemption's code up in Shopify and settles it by what is there. */
async function settlePending(shop: string, redemption: Redemption, graphql: AdminGraphql, now: Date): Promise<"issued" | "refused" | "stillPending"> {
  let found: string | null;
  try {
    found = await findCodeDiscount(graphql, redemption.code);
  } catch (error) {
    log.warn("reward sweep: code lookup failed, the redemption stays pending", { shop, redemptionId: redemption.id, error: errorName(error) });
    return "stillPending";
  }
  // Only a pending redemption moves: one that an order or a late answer settled meanwhile stays as it is.
  const settled = found
    ? await settleIssued(shop, redemption, found, now)
    : await refuseAndRefund(shop, redemption, "The code could not be created; your points are back. Please try again.", now);
  if (settled.redemption.status === "pending") return "stillPending";
  return found ? "issued" : "refused";
}
