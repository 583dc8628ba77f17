import { randomUUID } from "node:crypto";
import { tierSlug } from "~/domain/loyalty/program";
import type { ShopperRedemption, ShopperRewardsView } from "~/domain/loyalty/rewards-view";
import { nextTier, qualifyingValue } from "~/domain/loyalty/tiers";
import {
  canAfford,
  codeExpiry,
  newRewardCode,
  pointsLiability,
  rewardFormFrom,
  rewardValueText,
  validateRewardForm,
  type RewardFormErrors,
} from "~/domain/loyalty/rewards";
import { INVALID_TEXT_MESSAGE, isStorableText } from "~/domain/text";
import { errorName, log } from "~/logger.server";
import { customerLedgerPage, findCustomer } from "~/models/customer-queries.server";
import { pendingGoodwillOfRedemption, settleGoodwillCode } from "~/models/followup-work.server";
import { lockCustomerStanding } from "~/models/loyalty.server";
import { takeRateLimits } from "~/models/rate-limits.server";
import {
  customerRedemptions,
  findRedemption,
  findRedemptionByKey,
  findReward,
  insertPendingRedemption,
  insertReward,
  listRewards,
  rewardFigures,
  settlePendingRedemption,
  updateReward,
  type Redemption,
  type StoredReward,
} from "~/models/rewards.server";
import { inSqlTransaction, readAhead } from "~/models/transaction.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { adminGraphqlForShop } from "~/shopify/admin-for-shop.server";
import { createRewardCode, findCodeDiscount, RewardCodeRefused } from "~/shopify/discount-codes.server";
import { queueGoodwillGranted, queueRewardRedeemed, rewardRedeemedInUse } from "./flow-triggers.server";
import { bookRedemptionPoints, programFor } from "./loyalty-ledger.server";
import { getLoyaltyProgram } from "./loyalty.server";
import { shopDisplay } from "./shop-profile.server";

/**
 * Rewards: the catalogue the merchant edits on the Loyalty page and a shopper's redemption of one
 * (docs/decisions/035-rewards-redemption.md).
 *
 * A redemption, in order:
 * 1. One transaction, under the customer's row lock: a redemption with the same idempotency key is answered as it
 *    stands (a retried click is one redemption); otherwise the balance must pay for the reward (two redemptions against
 *    one balance wait on the lock: the second sees what the first took, and is refused rather than going below zero);
 *    the pending redemption row (its code chosen here) and its ledger debit ("redeem:<id>") commit together.
 * 2. Outside the transaction (no lock held while Shopify answers), the code discount is created in Shopify.
 *    Created: issued. Refused (userErrors): the debit is reversed ("redeem-reversal:<id>"), the redemption refused with
 *    Shopify's reason. No answer (network error, HTTP or GraphQL error): the code is looked up by its string; found:
 *    issued; absent: reversed. No answer within REDEEM_TIMEOUT_MS: looked up; found: issued; otherwise it stays
 *    pending and the call's own outcome settles it when it comes (so a code created late is never left unpaid).
 */

/** How long a shopper waits for Shopify before the code is looked up instead. */
const REDEEM_TIMEOUT_MS = 8_000;

/** Redemptions per customer: 10 a minute, far above anyone clicking; per shop: 600 a minute. Shared by every instance. */
const REDEEM_LIMITS = {
  customer: { capacity: 10, windowMs: 60_000 },
  shop: { capacity: 600, windowMs: 60_000 },
} as const;

/** Takes from both redemption limits or from neither; resolves to 0 or the Retry-After seconds. */
export function takeRedeemRateLimit(shop: string, customerId: string, now?: Date): Promise<number> {
  return takeRateLimits(
    [
      { key: `redeem-customer ${shop}|${customerId}`, ...REDEEM_LIMITS.customer },
      { key: `redeem-shop ${shop}`, ...REDEEM_LIMITS.shop },
    ],
    now,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The catalogue

/** The catalogue as the Loyalty page lists and edits it. */
async function rewardsCatalogue(shop: string) {
  return (await listRewards(shop)).map((r) => ({ ...r, valueText: rewardValueText(r) }));
}

/**
 * The Loyalty page's rewards: the catalogue, and the programme's figures: points earned, redeemed and outstanding,
 * what the outstanding points are worth in the shop currency (at the best amount-off reward's rate; null without
 * one), and the codes per status.
 */
export async function rewardsOverview(shop: string) {
  const [rewards, figures, { currency }] = await Promise.all([rewardsCatalogue(shop), rewardFigures(shop), shopDisplay(shop)]);
  const liability = pointsLiability(figures.outstanding, rewards, currency);
  return { rewards, figures: { ...figures, liabilityMinor: liability?.minor ?? null, liabilityRate: liability?.rate ?? null } };
}

/**
 * Adds a reward (no `id`) or rewrites one of the shop's (`id`), from the editor's fields. Amounts are read in the
 * shop's currency as it is now.
 */
export async function saveReward(
  shop: string,
  id: number | null,
  input: unknown,
  now = new Date(),
): Promise<{ ok: true; id: number } | { ok: false; status: 400 | 404; errors: RewardFormErrors | { reward: string } }> {
  const { currency } = await shopDisplay(shop);
  const checked = validateRewardForm(rewardFormFrom(input), currency);
  if (!checked.ok) return { ok: false, status: 400, errors: checked.errors };
  if (id === null) return { ok: true, id: await insertReward(shop, checked.reward, now) };
  if (!(await updateReward(shop, id, checked.reward, now))) return { ok: false, status: 404, errors: { reward: "This reward does not exist" } };
  return { ok: true, id };
}

// ---------------------------------------------------------------------------------------------------------------
// Redemption

/** A redemption as the shopper (or the customer page) sees it. */
type RedemptionView = ShopperRedemption;

function redemptionView(r: Redemption): RedemptionView {
  // A code is shown only once Shopify holds it: a pending or refused code cannot be used.
  const usable = r.status === "issued" || r.status === "used";
  return {
    id: r.id,
    rewardId: r.rewardId,
    title: r.title,
    points: r.points,
    code: usable ? r.code : null,
    status: r.status,
    reason: r.reason,
    expiresAt: r.expiresAt.toISOString(),
    createdAt: r.createdAt.toISOString(),
  };
}

export type RedeemResult =
  /** `repeat`: the idempotency key had been used; this is the first request's redemption as it stands now. */
  | { outcome: "redeemed"; redemption: RedemptionView; balance: number | null; repeat: boolean }
  | { outcome: "unavailable" }
  /** `pending`: points the shopper holds that wait out a return window (not spendable) and when the next are available. */
  | { outcome: "insufficient"; balance: number; pointsCost: number; pending: number; pendingAvailableAt: Date | null };

interface RedeemOptions {
  /** Staff issuing a reward from the customer page, with their reason. */
  staff?: string | null;
  note?: string | null;
  /** A goodwill reward from staff: no points taken, whatever the balance. */
  free?: boolean;
  /** The Admin API to use (default: the shop's offline session, or the demo recorder). */
  graphql?: AdminGraphql;
  timeoutMs?: number;
  now?: Date;
}

/** What the Shopify call came to. */
type CallOutcome = { kind: "created"; discountId: string } | { kind: "refused"; reason: string } | { kind: "unknown"; error: unknown };

/**
 * Redeems reward `rewardId` of `shop` for `customerId` (from the session token, never the request body), once per
 * `idempotencyKey`. See the module comment for the order of things.
 */
export async function redeemReward(shop: string, customerId: string, rewardId: number, idempotencyKey: string, options: RedeemOptions = {}): Promise<RedeemResult> {
  const now = options.now ?? new Date();
  const staff = options.staff ?? null;
  const begun = await inSqlTransaction(async (tx) => {
    // One round trip: the customer's row lock first, then the reads behind it. PostgreSQL runs them in order, and each
    // read takes its snapshot when it starts, once the lock is held: a concurrent redemption (same key or not) waits
    // at the lock, then the reads see what it committed.
    const locked = readAhead(tx, () => lockCustomerStanding(tx, shop, [customerId]));
    const existingRead = readAhead(tx, () => findRedemptionByKey(tx, shop, customerId, idempotencyKey));
    const rewardRead = readAhead(tx, () => findReward(tx, shop, rewardId));
    const programRead = readAhead(tx, () => programFor(tx, shop));
    const customer = (await locked()).get(customerId);
    const existing = await existingRead();
    if (existing) return { kind: "repeat" as const, redemption: existing, balance: customer?.pointsBalance ?? 0 };
    const reward = await rewardRead();
    if (!reward || !reward.enabled) return { kind: "unavailable" as const };
    const balance = customer?.pointsBalance ?? 0;
    const points = options.free ? 0 : reward.pointsCost;
    if (!customer || (points > 0 && !canAfford(balance, reward))) {
      // Only available points pay: pending ones wait out their orders' return windows (decision 043).
      const pending = { pending: customer?.pointsPending ?? 0, pendingAvailableAt: customer?.pointsPendingNextAt ?? null };
      return { kind: "insufficient" as const, balance, pointsCost: reward.pointsCost, ...pending };
    }
    const id = randomUUID();
    const row = {
      id,
      customerId,
      rewardId: reward.id,
      title: reward.title,
      kind: reward.kind,
      points,
      code: newRewardCode(),
      idempotencyKey,
      staff,
      note: options.note ?? null,
      expiresAt: codeExpiry(now, reward.validityDays),
    };
    const { program } = await programRead();
    // The insert travels with the points' booking (one round trip), and the booking's mirror with the COMMIT.
    const inserted = readAhead(tx, () => insertPendingRedemption(tx, shop, row, now));
    const entry = { points: -points, kind: "redemption" as const, sourceKey: `redeem:${id}`, staff };
    const after = points > 0 ? await bookRedemptionPoints(tx, shop, customerId, customer, entry, now, program) : balance;
    return { kind: "begun" as const, redemption: await inserted(), reward, balance: after };
  });
  if (begun.kind === "unavailable") return { outcome: "unavailable" };
  if (begun.kind === "insufficient") {
    const { balance, pointsCost, pending, pendingAvailableAt } = begun;
    return { outcome: "insufficient", balance, pointsCost, pending, pendingAvailableAt };
  }
  if (begun.kind === "repeat") return { outcome: "redeemed", redemption: redemptionView(begun.redemption), balance: begun.balance, repeat: true };

  const { redemption, reward } = begun;
  const settled = await issueCode(shop, redemption, reward, options.graphql, options.timeoutMs ?? REDEEM_TIMEOUT_MS, now);
  log.info("reward redeemed", { shop, customerId, rewardId: reward.id, redemptionId: redemption.id, status: settled.redemption.status });
  return { outcome: "redeemed", redemption: redemptionView(settled.redemption), balance: settled.balance ?? begun.balance, repeat: false };
}

/** Creates the code in Shopify and settles the pending redemption from what Shopify said (or what a lookup found). */
async function issueCode(
  shop: string,
  redemption: Redemption,
  reward: StoredReward,
  graphqlGiven: AdminGraphql | undefined,
  timeoutMs: number,
  now: Date,
): Promise<{ redemption: Redemption; balance: number | null }> {
  let graphql: AdminGraphql;
  try {
    graphql = graphqlGiven ?? (await adminGraphqlForShop(shop));
  } catch (error) {
    // No session (uninstalled): nothing was sent to Shopify.
    log.warn("reward code not created: no Admin API session", { shop, redemptionId: redemption.id, error: errorName(error) });
    return refuseAndRefund(shop, redemption, "The shop cannot issue codes right now; your points are back.", now);
  }
  const call: Promise<CallOutcome> = createRewardCode(graphql, {
    code: redemption.code,
    title: `${reward.title} (${redemption.code})`,
    customerId: redemption.customerId,
    kind: reward.kind,
    amountMinor: reward.amountMinor,
    percent: reward.percent,
    minimumMinor: reward.minimumMinor,
    currency: reward.currency,
    combinesWith: reward.combinesWith,
    startsAt: now,
    endsAt: redemption.expiresAt,
  }).then(
    (discountId): CallOutcome => ({ kind: "created", discountId }),
    (error: unknown): CallOutcome => (error instanceof RewardCodeRefused ? { kind: "refused", reason: error.message } : { kind: "unknown", error }),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<{ kind: "timeout" }>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs);
  });
  const outcome = await Promise.race<CallOutcome | { kind: "timeout" }>([call, timeout]);
  clearTimeout(timer);
  if (outcome.kind !== "timeout") return settle(shop, redemption, graphql, outcome, now);

  // The call may still be on its way: a lookup that finds the code settles it; otherwise it stays pending, and the
  // call's own outcome settles it when it comes.
  log.warn("reward code: no answer in time, looking it up", { shop, redemptionId: redemption.id });
  void call
    .then((late) => settle(shop, redemption, graphql, late, new Date()))
    .catch((error: unknown) => log.error("reward code: settling a late answer failed", { shop, redemptionId: redemption.id, error: errorName(error) }));
  const found = await lookUp(shop, redemption, graphql);
  if (found) return settleIssued(shop, redemption, found, now);
  return { redemption, balance: null };
}

/** Settles a pending redemption from the create call's outcome (a lookup first when the outcome is unknown). */
async function settle(shop: string, redemption: Redemption, graphql: AdminGraphql, outcome: CallOutcome, now: Date) {
  if (outcome.kind === "created") return settleIssued(shop, redemption, outcome.discountId, now);
  if (outcome.kind === "refused") {
    log.info("reward code refused by Shopify", { shop, redemptionId: redemption.id });
    return refuseAndRefund(shop, redemption, outcome.reason, now);
  }
  log.warn("reward code: Shopify did not answer, looking it up", { shop, redemptionId: redemption.id, error: errorName(outcome.error) });
  const found = await lookUp(shop, redemption, graphql);
  if (found === undefined) return { redemption, balance: null };
  if (found) return settleIssued(shop, redemption, found, now);
  return refuseAndRefund(shop, redemption, "Shopify could not be reached; your points are back. Please try again.", now);
}

/** The code's discount id in Shopify, null when Shopify has no such code, undefined when the lookup failed too. */
async function lookUp(shop: string, redemption: Redemption, graphql: AdminGraphql): Promise<string | null | undefined> {
  try {
    return await findCodeDiscount(graphql, redemption.code);
  } catch (error) {
    log.warn("reward code lookup failed: the redemption stays pending", { shop, redemptionId: redemption.id, error: errorName(error) });
    return undefined;
  }
}

/**
 * Settles a pending redemption as issued with Shopify's discount id (only a pending one moves), and in the same
 * transaction queues Shopify Flow's "Reward redeemed" when a workflow of the shop uses it: once per redemption, since
 * only the settling that moves it from pending queues it (a staff goodwill code too, with 0 points spent).
 */
export async function settleIssued(shop: string, redemption: Redemption, discountId: string, now: Date) {
  const moved = await inSqlTransaction(async (tx) => {
    // One round trip: the move from pending, and behind it the reads of what may follow it (whether a workflow uses
    // "Reward redeemed", a goodwill code waiting on this redemption), which then see the move.
    const moving = settlePendingRedemption(shop, redemption.id, { status: "issued", discountId }, now, tx);
    const inUse = rewardRedeemedInUse(tx, shop);
    const waitingGoodwill = readAhead(tx, () => pendingGoodwillOfRedemption(tx, shop, redemption.id));
    const issued = await moving;
    if (!issued) return null;
    const event = { customerId: redemption.customerId, reward: redemption.title, pointsSpent: redemption.points, discountCode: redemption.code };
    const balance = async () => (await findCustomer(shop, redemption.customerId))?.pointsBalance ?? 0;
    await queueRewardRedeemed(tx, shop, event, balance, now, inUse);
    // A goodwill code from a follow-up that was waiting on this answer is granted now, and its workflow told.
    for (const goodwill of await waitingGoodwill()) {
      await settleGoodwillCode(tx, shop, goodwill.id, { redemptionId: redemption.id, status: "granted" });
      const granted = { followUpId: goodwill.followUpId, customerId: goodwill.customerId, orderId: goodwill.orderId, kind: "code", points: 0, reward: goodwill.reward, discountCode: redemption.code };
      await queueGoodwillGranted(tx, shop, granted, now);
    }
    return issued;
  });
  // Moved here, it is as the move left it; settled elsewhere, as that left it.
  return { redemption: moved ?? (await current(shop, redemption)), balance: null };
}

/** Refuses the pending redemption and gives its points back, in one transaction under the customer's lock. */
export async function refuseAndRefund(shop: string, redemption: Redemption, reason: string, now: Date): Promise<{ redemption: Redemption; balance: number | null }> {
  const { refused, balance } = await inSqlTransaction(async (tx) => {
    const customer = (await lockCustomerStanding(tx, shop, [redemption.customerId])).get(redemption.customerId);
    // Only a redemption still pending gives its points back (never twice, never for an issued code).
    const refused = await settlePendingRedemption(shop, redemption.id, { status: "refused", reason }, now, tx);
    if (!refused || !customer) return { refused, balance: null };
    const balance = redemption.points === 0 ? customer.pointsBalance : await giveRedemptionPointsBack(tx, shop, redemption, customer, now);
    return { refused, balance };
  });
  return { redemption: refused ?? (await current(shop, redemption)), balance };
}

/**
 * Books the redemption's points back to its customer (held locked by the caller). A refused code and an expired one
 * use this one key, `redeem-reversal:<id>`, so a redemption gives its points back at most once, whichever happened.
 */
export function giveRedemptionPointsBack(
  tx: Parameters<typeof bookRedemptionPoints>[0],
  shop: string,
  redemption: Redemption,
  customer: Parameters<typeof bookRedemptionPoints>[3],
  now: Date,
): Promise<number | null> {
  const entry = { points: redemption.points, kind: "redemption-reversal" as const, sourceKey: `redeem-reversal:${redemption.id}`, staff: redemption.staff };
  return bookRedemptionPoints(tx, shop, redemption.customerId, customer, entry, now);
}

/** The redemption as stored now. */
async function current(shop: string, redemption: Redemption): Promise<Redemption> {
  return (await findRedemption(shop, redemption.id)) ?? redemption;
}

// ---------------------------------------------------------------------------------------------------------------
// Staff: a goodwill reward from the customer page

const STAFF_REASON = { min: 3, max: 200 } as const;

/**
 * Staff issue a reward to a customer from the customer page, with a reason: a goodwill code (no points taken),
 * created through the same redemption as a shopper's (the code chosen first, looked up when Shopify's answer is
 * lost). `input`: the posted form's `rewardId` and `reason`.
 */
export async function issueRewardByStaff(
  shop: string,
  customerId: string,
  input: { rewardId: string; reason: string },
  staff: string | null,
  graphql: AdminGraphql,
): Promise<{ ok: true; redemption: RedemptionView } | { ok: false; status: 400 | 404 | 422; errors: Record<string, string> }> {
  const errors: Record<string, string> = {};
  const rewardId = /^\d{1,9}$/.test(input.rewardId) ? Number(input.rewardId) : null;
  if (!rewardId) errors.rewardId = "Choose a reward";
  const reason = input.reason.trim();
  if (reason.length < STAFF_REASON.min) errors.reason = `Give a reason (at least ${STAFF_REASON.min} characters)`;
  else if (reason.length > STAFF_REASON.max) errors.reason = `Keep the reason to ${STAFF_REASON.max} characters`;
  else if (!isStorableText(reason)) errors.reason = INVALID_TEXT_MESSAGE;
  if (!(await findCustomer(shop, customerId))) return { ok: false, status: 404, errors: { customer: "Customer not found" } };
  if (!rewardId || Object.keys(errors).length) return { ok: false, status: 400, errors };
  const result = await redeemReward(shop, customerId, rewardId, randomUUID(), { staff, note: reason, graphql, free: true });
  if (result.outcome === "unavailable") return { ok: false, status: 400, errors: { rewardId: "This reward is not offered; turn it on on the Loyalty page first" } };
  if (result.outcome !== "redeemed") return { ok: false, status: 400, errors: { rewardId: "This reward could not be issued" } };
  if (result.redemption.status === "refused") return { ok: false, status: 422, errors: { reward: result.redemption.reason ?? "Shopify refused the code" } };
  return { ok: true, redemption: result.redemption };
}

/** The customer page's rewards: the rewards staff can issue, and the customer's codes with who issued them and why. */
export async function customerRewardsForStaff(shop: string, customerId: string) {
  const [rewards, redemptions] = await Promise.all([listRewards(shop), customerRedemptions(shop, customerId, 50)]);
  return {
    offered: rewards.filter((r) => r.enabled).map((r) => ({ id: r.id, title: r.title, valueText: rewardValueText(r) })),
    redemptions: redemptions.map((r) => ({ ...redemptionView(r), issuedBy: r.staff, note: r.note })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The shopper's view (customer account extension)

/**
 * What the customer account page shows: tier, the next tier (what qualifies for it, how far the shopper is, its
 * perks), balance (below zero: owed), the enabled rewards (with whether the balance pays for each), unused codes,
 * the newest redemptions and points history.
 */
export async function customerRewardsView(shop: string, customerId: string, now = new Date()): Promise<ShopperRewardsView> {
  const [customer, { program }, rewards, redemptions, ledger, shown] = await Promise.all([
    findCustomer(shop, customerId),
    getLoyaltyProgram(shop),
    listRewards(shop),
    customerRedemptions(shop, customerId, 50),
    customerLedgerPage(shop, customerId, { limit: 20 }),
    shopDisplay(shop),
  ]);
  const balance = customer?.pointsBalance ?? 0;
  const tier = customer?.tierSlug ? program.tiers.find((t) => tierSlug(t.name) === customer.tierSlug) : undefined;
  const standing = customer ?? { lifetimeNetMinor: 0, rolling12NetMinor: 0, orderCount: 0, rolling12Orders: 0 };
  const next = nextTier(program, standing);
  return {
    currency: shown.currency,
    balance,
    pending: customer?.pointsPending ?? 0,
    pendingAvailableAt: customer?.pointsPendingNextAt?.toISOString() ?? null,
    tier: tier ? { name: tier.name, perks: tier.perks } : null,
    next: next && {
      name: next.tier.name,
      perks: next.tier.perks,
      basis: program.basis,
      value: qualifyingValue(program, standing),
      from: tier && tier.threshold < next.tier.threshold ? tier.threshold : 0,
      threshold: next.tier.threshold,
      remaining: next.remaining,
    },
    rewards: rewards
      .filter((r) => r.enabled)
      .map((r) => ({
        id: r.id,
        title: r.title,
        kind: r.kind,
        pointsCost: r.pointsCost,
        amountMinor: r.amountMinor,
        percent: r.percent,
        minimumMinor: r.minimumMinor,
        valueText: rewardValueText(r),
        validityDays: r.validityDays,
        affordable: canAfford(balance, r),
      })),
    codes: redemptions.filter((r) => r.status === "issued" && r.expiresAt.getTime() > now.getTime()).map(redemptionView),
    redemptions: redemptions.map(redemptionView),
    history: ledger.rows.map((row) => ({
      at: row.createdAt.toISOString(),
      kind: row.kind,
      points: row.points,
      orderName: row.orderName,
      availableAt: row.availableAt?.toISOString() ?? null,
    })),
  };
}
