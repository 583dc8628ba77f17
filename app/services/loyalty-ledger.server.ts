import { DEFAULT_PROGRAM, type LoyaltyProgram, validateProgram, tierSlug, tierTag } from "~/domain/loyalty/program";
import { cancellationReversal, pointsForOrder, refundReversal } from "~/domain/loyalty/points";
import { tierFor } from "~/domain/loyalty/tiers";
import { refreshCustomerStandings } from "~/models/customer-facts.server";
import {
  appendLedger,
  applyTiersPage,
  findProgram,
  lockCustomerStanding,
  recordTiersAndMirror,
  summariseOrderLedger,
  type LedgerEntry,
  type QualifyingFact,
  type TierChangeOf,
} from "~/models/loyalty.server";
import type { OrderState } from "~/models/orders.server";
import { enqueueOutboxMany, type OutboxEnqueue } from "~/models/outbox.server";
import { sendAhead, type SqlTx } from "~/models/transaction.server";
import { loyaltyMetafieldVariables, tagVariables } from "~/shopify/customer-mirror.server";
import { flowTriggerMessage } from "./flow-triggers.server";
import { holdOrdersPoints, type PendingFactsRead } from "./pending-points.server";

/**
 * Loyalty bookkeeping that runs inside the transaction of the event that caused it, so points, tier and the
 * Admin API calls they imply (queued in the outbox) commit together with the order or refund, or not at all.
 *
 * Concurrency (several transactions and app instances at once): an order's events hold the order's lock
 * (models/orders.server.ts `claimWebhookDelivery`), so its ledger rows are read and booked by one event at a time;
 * a customer's facts, balance and tier are recomputed only while their row is locked, by a statement that follows
 * the lock. The ledger's unique (shop, sourceKey) stays the idempotency key of every booking.
 */
export type LoyaltyCause = "order" | "refund" | "cancellation" | "adjustment" | "recompute" | "sweep" | "redemption";

/** A customer's tier and balance as locked before a recomputation. */
interface StandingBefore {
  tierSlug: string | null;
  pointsBalance: number;
}

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

/** An order's loyalty bookkeeping to apply: its state as read under its lock, and its customer as locked (or null). */
export interface OrderLoyaltyItem {
  state: OrderState;
  customer: StandingBefore | null;
}

/** `applyOrdersLoyalty` for one order. */
export function applyOrderLoyalty(tx: SqlTx, shop: string, state: OrderState, customer: StandingBefore | null, now: Date): Promise<void> {
  return applyOrdersLoyalty(tx, shop, [{ state, customer }], now);
}

/**
 * Books orders' points (dated when the order, refund or cancellation happened), their refunds' and cancellation's
 * reversals, then refreshes their customers' standing: in one statement for the bookings and the facts, and one for
 * the tier changes and their mirror, however many orders (a group of webhook events). Each item's `state` is the
 * order as read under its lock (with its refunds already converted to shop currency); `customer` is the customer's
 * tier and balance as locked by the caller, or null to lock them here. No two items may name the same customer.
 */
export async function applyOrdersLoyalty(tx: SqlTx, shop: string, items: OrderLoyaltyItem[], now: Date, pendingFacts?: PendingFactsRead): Promise<void> {
  const due = items.flatMap(({ state, customer }) => {
    const booking = orderBooking(state);
    return booking ? [{ ...booking, customer }] : [];
  });
  if (!due.length) return;
  if (new Set(due.map((d) => d.customerId)).size !== due.length) throw new Error("applyOrdersLoyalty: two orders of one customer");
  const unlocked = due.filter((d) => !d.customer).map((d) => d.customerId);
  const locked = await lockCustomerStanding(tx, shop, unlocked);
  // Every item was read by one statement (or one event): one program for all.
  const { program } = programFrom(items[0]!.state.program);
  // Points of orders still inside their return window are pending: their dates first, then the balances count them.
  await holdOrdersPoints(
    tx,
    shop,
    due.filter((d) => d.holdsPoints).map((d) => ({ orderId: d.orderId, bookedNow: d.bookedNow })),
    program,
    now,
    pendingFacts,
  );
  const standings: StandingToRefresh[] = [];
  const book: LedgerEntry[] = [];
  for (const d of due) {
    book.push(...d.book);
    const before = d.customer ?? locked.get(d.customerId) ?? null;
    // No customer row (nothing to refresh): the points are still booked, like any other.
    if (before) standings.push({ customerId: d.customerId, before, cause: d.cause });
  }
  if (!standings.length) {
    await appendLedger(tx, shop, book);
    return;
  }
  await refreshStandingsFrom(tx, shop, standings, program, now, { book });
}

/**
 * What an order's state still has to book: its points when it earned none yet (and is not cancelled), the reversal
 * of each refund not booked yet (worked out on the running refunded total), and the cancellation's reversal; null
 * for a guest or test order.
 */
function orderBooking(
  state: OrderState,
): { customerId: string; orderId: string; book: LedgerEntry[]; cause: LoyaltyCause; bookedNow: boolean; holdsPoints: boolean } | null {
  const { order } = state;
  if (!order?.customerId || order.test) return null;
  const orderId = order.id;
  const { program } = programFrom(state.program);
  const customerId = order.customerId;
  const ledger = summariseOrderLedger(state.ledger);
  let { earned, reversed } = ledger;
  const book: LedgerEntry[] = [];

  if (earned === null && !order.cancelledAt) {
    const points = pointsForOrder(order.totalMinor, order.currency, program.pointsPerUnit);
    earned = points;
    book.push({
      customerId,
      points,
      kind: "order",
      sourceKey: `order:${orderId}`,
      orderId,
      createdAt: order.placedAt,
    });
  }
  if (earned !== null && earned > 0) {
    const orderPoints: number = earned;
    const refunds = state.refunds.filter((r) => r.shopAmountMinor !== null);
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
      const amount = refund.shopAmountMinor ?? 0;
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
        book.push({
          customerId,
          points: -points,
          kind: "refund",
          sourceKey: key,
          orderId,
          createdAt: refund.createdAt,
        });
        reversed += points;
      }
    }
    if (order.cancelledAt) {
      const points = cancellationReversal({ orderPoints, alreadyReversed: reversed });
      if (points > 0) {
        book.push({
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
  const bookedNow = book.some((e) => e.kind === "order");
  // An order that earned points and is not cancelled may be holding them pending (pending-points.server.ts decides).
  const holdsPoints = earned !== null && earned > 0 && !order.cancelledAt;
  return { customerId, orderId, book, cause: order.cancelledAt ? "cancellation" : "order", bookedNow, holdsPoints };
}

/**
 * The order now names another customer than `previousCustomerId` (or none: a guest order, or the reverse). Its points
 * follow it: every other customer who holds some of them gives them back, and its customer gets what the order still
 * holds (earned minus what refunds and cancellation took back), as "transfer" ledger rows keyed
 * "transfer:<orderId>:<n>" (n counts the order's transfers, so a move back and forth books new rows). Then the
 * previous customers' facts, balance and tier are refreshed (their tags and metafields queued); `applyOrderLoyalty`,
 * run next, books the rest for the order's customer and refreshes them. Converges: a repeat books nothing.
 * `state` is the order as just written (under its lock); the previous customers are locked here, in id order, before
 * anything is booked for them (the order's customer was locked by the order's upsert).
 */
export async function moveOrderLoyalty(tx: SqlTx, shop: string, state: OrderState, previousCustomerId: string | null, now: Date): Promise<void> {
  const { order } = state;
  if (!order) return;
  const orderId = order.id;
  const owner = order.customerId && !order.test ? order.customerId : null;
  const { earned, reversed, held, transfers } = summariseOrderLedger(state.ledger);
  const due = earned === null ? 0 : earned - reversed;

  const previous = new Set(previousCustomerId && previousCustomerId !== order.customerId ? [previousCustomerId] : []);
  for (const [customerId, points] of held) if (customerId !== owner && points !== 0) previous.add(customerId);
  const locked = await lockCustomerStanding(tx, shop, [...previous]);

  let next = transfers;
  const moves: LedgerEntry[] = [];
  const transfer = (customerId: string, points: number) =>
    moves.push({
      customerId,
      points,
      kind: "transfer",
      sourceKey: `transfer:${orderId}:${next++}`,
      orderId,
      createdAt: now,
    });
  for (const [customerId, points] of held) {
    if (customerId === owner || points === 0) continue;
    transfer(customerId, -points);
  }
  const ownerHolds = owner ? held.get(owner) ?? 0 : 0;
  if (owner && due !== ownerHolds) transfer(owner, due - ownerHolds);
  await appendLedger(tx, shop, moves);

  const { program } = programFrom(state.program);
  const standings = [...previous].sort().flatMap((customerId) => {
    const before = locked.get(customerId);
    return before ? [{ customerId, before, cause: "order" as const }] : [];
  });
  if (standings.length) await refreshStandingsFrom(tx, shop, standings, program, now);
}

/** A customer whose standing a refresh recomputes: their tier and balance as locked, and the cause of a tier change. */
interface StandingToRefresh {
  customerId: string;
  before: StandingBefore;
  cause: LoyaltyCause;
}

/** `refreshStandingsFrom` for one customer. */
async function refreshStandingFrom(
  tx: SqlTx,
  shop: string,
  customerId: string,
  before: StandingBefore,
  program: LoyaltyProgram,
  cause: LoyaltyCause,
  now: Date,
  options: { facts?: boolean; book?: LedgerEntry[] } = {},
): Promise<{ tierChanged: boolean; balance: number | null }> {
  return (await refreshStandingsFrom(tx, shop, [{ customerId, before, cause }], program, now, options)).get(customerId) ?? { tierChanged: false, balance: null };
}

/**
 * Books `book`, recomputes the customers' facts and balance (one statement), re-evaluates their tiers, and queues the
 * Admin API calls that mirror a change: tagsRemove / tagsAdd on a tier change, one (coalesced) metafieldsSet when
 * tier or points changed (one more statement, only when something changed). The caller holds the customers' row
 * locks (`lockCustomerStanding`, or an upsert of their rows) and passes their tier and balance as locked (`before`).
 * Returns, per customer known, whether their tier changed and their balance.
 */
async function refreshStandingsFrom(
  tx: SqlTx,
  shop: string,
  customers: StandingToRefresh[],
  program: LoyaltyProgram,
  now: Date,
  options: { facts?: boolean; book?: LedgerEntry[] } = {},
): Promise<Map<string, { tierChanged: boolean; balance: number }>> {
  const stored = await refreshCustomerStandings(
    tx,
    shop,
    customers.map((c) => c.customerId),
    now,
    options,
  );
  const results = new Map<string, { tierChanged: boolean; balance: number }>();
  const changes: TierChangeOf[] = [];
  const messages: OutboxEnqueue[] = [];
  for (const { customerId, before, cause } of customers) {
    const standing = stored.get(customerId);
    if (!standing) continue;
    const balance = standing.pointsBalance;
    const tier = tierFor(program, standing);
    const to = tier?.slug ?? null;
    const tierChanged = to !== before.tierSlug;
    if (tierChanged) changes.push({ customerId, from: before.tierSlug, to, cause, at: now });
    const pendingChanged = standing.pointsPending !== standing.pendingBefore || standing.pointsPendingNextAt?.getTime() !== standing.nextBefore?.getTime();
    messages.push(
      ...mirrorMessages(
        customerId,
        before,
        { slug: to, name: tier?.name ?? null },
        { balance, pending: standing.pointsPending, pendingNextAt: standing.pointsPendingNextAt, pendingChanged },
      ),
    );
    if (tierChanged) messages.push(...tierChangedTrigger(shop, customerId, tierNameOf(program, before.tierSlug), tier?.name ?? null, balance));
    results.set(customerId, { tierChanged, balance });
  }
  // Nothing waits for it: it travels with what follows (the group's COMMIT, on the webhook path).
  await sendAhead(tx, () => recordTiersAndMirror(tx, shop, changes, messages, now));
  return results;
}

/**
 * The Admin API calls that mirror a customer's new standing into Shopify: tagsRemove / tagsAdd on a tier change, one
 * (coalesced) metafieldsSet when the tier, the available points or the pending points (or their date) changed; none
 * when nothing did.
 */
function mirrorMessages(
  customerId: string,
  before: StandingBefore,
  tier: { slug: string | null; name: string | null },
  points: { balance: number; pending: number; pendingNextAt: Date | null; pendingChanged: boolean },
): OutboxEnqueue[] {
  const { balance } = points;
  const tierChanged = tier.slug !== before.tierSlug;
  const messages: OutboxEnqueue[] = [];
  if (tierChanged) {
    if (before.tierSlug)
      messages.push({
        operation: "tagsRemove",
        variables: tagVariables(customerId, tierTag(before.tierSlug)),
      });
    if (tier.slug)
      messages.push({
        operation: "tagsAdd",
        variables: tagVariables(customerId, tierTag(tier.slug)),
      });
  }
  if (tierChanged || balance !== before.pointsBalance || points.pendingChanged) {
    messages.push({
      operation: "metafieldsSet",
      variables: loyaltyMetafieldVariables(customerId, {
        tierName: tier.name,
        tierSlug: tier.slug,
        points: balance,
        pending: points.pending,
        pendingAvailableAt: points.pendingNextAt,
      }),
      coalesceKey: `loyalty-status:${customerId}`,
    });
  }
  return messages;
}

/** A tier's name in `program` from its slug (the slug itself for a tier the program no longer has); null for no tier. */
function tierNameOf(program: LoyaltyProgram, slug: string | null): string | null {
  if (slug === null) return null;
  return program.tiers.find((t) => tierSlug(t.name) === slug)?.name ?? slug;
}

/**
 * Shopify Flow's "Loyalty tier changed" for one customer, queued by the same statement as the tier change's mirror
 * and gated there on the shop's FlowTriggerUse (no extra round trip per event; nothing when no workflow uses it).
 */
function tierChangedTrigger(shop: string, customerId: string, previousTier: string | null, tier: string | null, points: number): OutboxEnqueue[] {
  const message = flowTriggerMessage(shop, "loyaltyTierChanged", { customerId, previousTier, tier, points });
  return message ? [message] : [];
}

/** Which customer fact a program's thresholds apply to (`qualifyingValue` in app/domain/loyalty/tiers.ts). */
function qualifyingFact(program: LoyaltyProgram): QualifyingFact {
  if (program.basis === "spend") return program.window === "lifetime" ? "lifetimeNetMinor" : "rolling12NetMinor";
  return program.window === "lifetime" ? "orderCount" : "rolling12Orders";
}

/**
 * Recomputes one page of a shop's customers set-based (`applyTiersPage`: two statements for the whole page, not two
 * per customer) and queues the Shopify calls of those whose tier or balance changed, in one more statement. Returns
 * how many customers the page held and its last id (null: no customers left).
 */
export async function recomputeTiersPage(
  tx: SqlTx,
  shop: string,
  page: { after: string | null; limit: number },
  program: LoyaltyProgram,
  cause: LoyaltyCause,
  now: Date,
): Promise<{ count: number; last: string | null; changed: number }> {
  const tiers = program.tiers.map((t) => ({ slug: tierSlug(t.name), name: t.name, threshold: t.threshold }));
  const names = new Map(tiers.map((t) => [t.slug, t.name]));
  const { count, last, changes } = await applyTiersPage(tx, shop, page, { fact: qualifyingFact(program), tiers }, cause, now);
  const messages = changes.flatMap((c) => [
    // A change the page reports moved the tier, the balance or the pending figures: mirror it.
    ...mirrorMessages(
      c.customerId,
      { tierSlug: c.fromSlug, pointsBalance: c.pointsBefore },
      { slug: c.toSlug, name: c.toSlug ? (names.get(c.toSlug) ?? null) : null },
      { balance: c.points, pending: c.pending, pendingNextAt: c.pendingNextAt, pendingChanged: true },
    ),
    ...(c.fromSlug !== c.toSlug ? tierChangedTrigger(shop, c.customerId, tierNameOf(program, c.fromSlug), tierNameOf(program, c.toSlug), c.points) : []),
  ]);
  await enqueueOutboxMany(tx, shop, messages, now);
  return { count, last, changed: changes.length };
}

/**
 * A staff adjustment: one ledger row with its reason, then the balance and its mirror. `before`: the customer's
 * state as the caller locked it (it checked the balance stays at or above zero under that lock).
 */
export async function bookAdjustment(
  tx: SqlTx,
  shop: string,
  customerId: string,
  before: StandingBefore,
  adjustment: {
    points: number;
    reason: string;
    key: string;
    staff: string | null;
  },
  now: Date,
): Promise<number | null> {
  const entry: LedgerEntry = {
    customerId,
    points: adjustment.points,
    kind: "adjustment",
    sourceKey: `adjust:${adjustment.key}`,
    note: adjustment.reason,
    staff: adjustment.staff,
    createdAt: now,
  };
  const { program } = await programFor(tx, shop);
  const { balance } = await refreshStandingFrom(tx, shop, customerId, before, program, "adjustment", now, { facts: false, book: [entry] });
  return balance;
}

/**
 * A reward redemption's points (services/rewards.server.ts): the debit ("redemption", keyed "redeem:<id>") or its
 * reversal ("redemption-reversal", "redeem-reversal:<id>"), then the balance and its mirror, like `bookAdjustment`.
 * `before`: the customer as the caller locked them (it checked the balance pays for a debit under that lock). Booked at
 * most once per key: a repeat changes nothing. `knownProgram`: the shop's program when the caller has read it already
 * (in its transaction); else it is read here.
 */
export async function bookRedemptionPoints(
  tx: SqlTx,
  shop: string,
  customerId: string,
  before: StandingBefore,
  entry: { points: number; kind: "redemption" | "redemption-reversal"; sourceKey: string; staff: string | null },
  now: Date,
  knownProgram?: LoyaltyProgram,
): Promise<number | null> {
  const program = knownProgram ?? (await programFor(tx, shop)).program;
  const book: LedgerEntry[] = [{ customerId, points: entry.points, kind: entry.kind, sourceKey: entry.sourceKey, staff: entry.staff, createdAt: now }];
  const { balance } = await refreshStandingFrom(tx, shop, customerId, before, program, "redemption", now, { facts: false, book });
  return balance;
}

/**
 * Pending points of some orders became available (the sweep released them, services/pending-points-sweep.server.ts):
 * the balances of the customers who hold them, recomputed from the ledger, and their mirror. `locked`: those
 * customers as the caller locked them, before the release.
 */
export async function refreshReleasedStandings(tx: SqlTx, shop: string, locked: Map<string, StandingBefore>, now: Date): Promise<void> {
  if (!locked.size) return;
  const { program } = await programFor(tx, shop);
  const standings = [...locked].map(([customerId, before]) => ({ customerId, before, cause: "sweep" as const }));
  await refreshStandingsFrom(tx, shop, standings, program, now, { facts: false });
}
