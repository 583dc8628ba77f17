import { DEFAULT_PROGRAM, type LoyaltyProgram, validateProgram, tierTag } from "~/domain/loyalty/program";
import { cancellationReversal, pointsForOrder, refundReversal } from "~/domain/loyalty/points";
import { tierFor } from "~/domain/loyalty/tiers";
import { refreshCustomerStanding } from "~/models/customer-facts.server";
import { appendLedger, customerLoyaltyState, findProgram, orderHoldings, orderLedger, setTier } from "~/models/loyalty.server";
import { findOrder, settledRefunds } from "~/models/orders.server";
import { enqueueOutbox } from "~/models/outbox.server";
import type { SqlTx } from "~/models/transaction.server";
import { loyaltyMetafieldVariables, tagVariables } from "~/shopify/customer-mirror.server";

/**
 * Loyalty bookkeeping that runs inside the transaction of the event that caused it, so points, tier and the
 * Admin API calls they imply (queued in the outbox) commit together with the order or refund, or not at all.
 */
export type LoyaltyCause = "order" | "refund" | "cancellation" | "adjustment" | "recompute" | "sweep";

/** The shop's program as stored (re-validated), or the default program when none was saved. */
export async function programFor(tx: SqlTx, shop: string): Promise<{ program: LoyaltyProgram; version: number; isDefault: boolean }> {
  return programFrom(await findProgram(tx, shop));
}

/** A stored program re-validated, or the default program when none was saved (or the stored one is invalid). */
export function programFrom(stored: { raw: unknown; version: number } | null): { program: LoyaltyProgram; version: number; isDefault: boolean } {
  if (stored) {
    const checked = validateProgram(stored.raw);
    if (checked.ok) return { program: checked.program, version: stored.version, isDefault: false };
  }
  return { program: DEFAULT_PROGRAM, version: 0, isDefault: true };
}

/** Books an order's points (dated when the order, refund or cancellation happened), its refunds' and cancellation's reversals, then refreshes the customer's standing. */
export async function applyOrderLoyalty(tx: SqlTx, shop: string, orderId: string, now: Date): Promise<void> {
  const order = await findOrder(tx, shop, orderId);
  if (!order?.customerId || order.test) return;
  const { program } = await programFor(tx, shop);
  const customerId = order.customerId;
  const ledger = await orderLedger(tx, shop, orderId);
  let { earned, reversed } = ledger;

  if (earned === null && !order.cancelledAt) {
    const points = pointsForOrder(order.totalMinor, order.currency, program.pointsPerUnit);
    earned = points;
    await appendLedger(tx, shop, { customerId, points, kind: "order", sourceKey: `order:${orderId}`, orderId, createdAt: order.placedAt });
  }
  if (earned !== null && earned > 0) {
    const orderPoints: number = earned;
    // `ledger.sourceKeys` still holds every refund already booked: only the order's own row may have been added.
    const refunds = await settledRefunds(tx, shop, orderId);
    // The refunded total the ledger already reflects: every booked refund, whatever its date. Shopify may deliver a
    // later refund first, so counting only the refunds dated before this one would under-reverse.
    // Summed exactly (BigInt) and capped at the order total, where a cumulative refund reverses everything anyway.
    const capped = (sum: bigint) => Number(sum < BigInt(order.totalMinor) ? sum : BigInt(order.totalMinor));
    let refundedSoFar = capped(
      refunds.filter((r) => ledger.sourceKeys.has(`refund:${r.id}`)).reduce((sum, r) => sum + BigInt(r.shopAmountMinor ?? 0), 0n),
    );
    for (const refund of refunds) {
      const key = `refund:${refund.id}`;
      if (ledger.sourceKeys.has(key)) continue;
      const amount = Number(refund.shopAmountMinor ?? 0);
      const alreadyRefundedMinor = refundedSoFar;
      refundedSoFar = capped(BigInt(refundedSoFar) + BigInt(amount));
      // Reversal is worked out on the running refunded total, so refunds in parts add up to the whole.
      const points = refundReversal({
        orderPoints,
        orderTotalMinor: order.totalMinor,
        refundShopMinor: amount,
        alreadyReversed: reversed,
        alreadyRefundedMinor,
      });
      if (points > 0) {
        await appendLedger(tx, shop, { customerId, points: -points, kind: "refund", sourceKey: key, orderId, createdAt: refund.createdAt });
        reversed += points;
      }
    }
    if (order.cancelledAt) {
      const points = cancellationReversal({ orderPoints, alreadyReversed: reversed });
      if (points > 0) {
        await appendLedger(tx, shop, {
          customerId,
          points: -points,
          kind: "cancellation",
          sourceKey: `cancel:${orderId}`,
          orderId,
          createdAt: order.cancelledAt,
        });
      }
    }
  }
  await refreshStanding(tx, shop, customerId, program, order.cancelledAt ? "cancellation" : "order", now);
}

/**
 * The order now names another customer than `previousCustomerId` (or none: a guest order, or the reverse). Its points
 * follow it: every other customer who holds some of them gives them back, and its customer gets what the order still
 * holds (earned minus what refunds and cancellation took back), as "transfer" ledger rows keyed
 * "transfer:<orderId>:<n>" (n counts the order's transfers, so a move back and forth books new rows). Then the
 * previous customers' facts, balance and tier are refreshed (their tags and metafields queued); `applyOrderLoyalty`,
 * run next, books the rest for the order's customer and refreshes them. Converges: a repeat books nothing.
 */
export async function moveOrderLoyalty(tx: SqlTx, shop: string, orderId: string, previousCustomerId: string | null, now: Date): Promise<void> {
  const order = await findOrder(tx, shop, orderId);
  if (!order) return;
  const owner = order.customerId && !order.test ? order.customerId : null;
  const { earned, reversed } = await orderLedger(tx, shop, orderId);
  const due = earned === null ? 0 : earned - reversed;
  const { held, transfers } = await orderHoldings(tx, shop, orderId);
  let next = transfers;
  const transfer = (customerId: string, points: number) =>
    appendLedger(tx, shop, { customerId, points, kind: "transfer", sourceKey: `transfer:${orderId}:${next++}`, orderId, createdAt: now });

  const previous = new Set(previousCustomerId && previousCustomerId !== order.customerId ? [previousCustomerId] : []);
  for (const [customerId, points] of held) {
    if (customerId === owner || points === 0) continue;
    await transfer(customerId, -points);
    previous.add(customerId);
  }
  const ownerHolds = owner ? (held.get(owner) ?? 0) : 0;
  if (owner && due !== ownerHolds) await transfer(owner, due - ownerHolds);

  const { program } = await programFor(tx, shop);
  for (const customerId of previous) await refreshStanding(tx, shop, customerId, program, "order", now);
}

/**
 * Recomputes the customer's facts and balance, re-evaluates their tier, and queues the Admin API calls that
 * mirror a change: tagsRemove / tagsAdd on a tier change, one (coalesced) metafieldsSet when tier or points changed.
 */
export async function refreshStanding(
  tx: SqlTx,
  shop: string,
  customerId: string,
  program: LoyaltyProgram,
  cause: LoyaltyCause,
  now: Date,
  options: { facts?: boolean } = {},
): Promise<{ tierChanged: boolean }> {
  const before = await customerLoyaltyState(tx, shop, customerId);
  if (!before) return { tierChanged: false };
  const standing = await refreshCustomerStanding(tx, shop, customerId, now, options);
  if (!standing) return { tierChanged: false };
  const balance = standing.pointsBalance;
  const tier = tierFor(program, standing);
  const to = tier?.slug ?? null;
  const tierChanged = to !== before.tierSlug;

  if (tierChanged) {
    await setTier(tx, shop, customerId, before.tierSlug, to, cause, now);
    if (before.tierSlug) {
      await enqueueOutbox(tx, shop, { operation: "tagsRemove", variables: tagVariables(customerId, tierTag(before.tierSlug)) }, now);
    }
    if (to) await enqueueOutbox(tx, shop, { operation: "tagsAdd", variables: tagVariables(customerId, tierTag(to)) }, now);
  }
  if (tierChanged || balance !== before.pointsBalance) {
    await enqueueOutbox(
      tx,
      shop,
      {
        operation: "metafieldsSet",
        variables: loyaltyMetafieldVariables(customerId, { tierName: tier?.name ?? null, tierSlug: to, points: balance }),
        coalesceKey: `loyalty-status:${customerId}`,
      },
      now,
    );
  }
  return { tierChanged };
}

/** A staff adjustment: one ledger row with its reason, then the balance and its mirror. */
export async function bookAdjustment(
  tx: SqlTx,
  shop: string,
  customerId: string,
  adjustment: { points: number; reason: string; key: string; staff: string | null },
  now: Date,
) {
  await appendLedger(tx, shop, {
    customerId,
    points: adjustment.points,
    kind: "adjustment",
    sourceKey: `adjust:${adjustment.key}`,
    note: adjustment.reason,
    staff: adjustment.staff,
    createdAt: now,
  });
  const { program } = await programFor(tx, shop);
  await refreshStanding(tx, shop, customerId, program, "adjustment", now, { facts: false });
}
