import { npsFigure, shareFigure, type Figure, type NpsFigure } from "./scores";

/**
 * The attribution report (Reports page): what each answer to "How did you hear about us?" brought in. The database
 * hands back additive counts per (channel, tier) of the answers given in a date range; this module sums them per
 * channel and turns them into the report's figures, so every figure has one definition, shared by the page, the
 * chart and the CSV.
 *
 * Money is exact: sums of shop-currency minor units stay bigint; an average is rounded half away from zero.
 */

/** One (channel, tier) group of answers, as the query counts them. */
export interface AttributionCounts {
  /** The attribution option id; "" when the answer set has no attribution answer. */
  channel: string;
  /** The answering customer's tier slug now: "" without a tier, "guest" without a customer (SurveyResponse.segTier). */
  tier: string;
  answers: number;
  /** Answered orders the app holds that are not test orders and not cancelled. */
  orders: number;
  /** Their totals minus their refunds, shop-currency minor units. */
  netMinor: bigint;
  /** Of those orders, the ones with at least one refund. */
  refundedOrders: number;
  /**
   * Answers whose counted order was the customer's first / a later one (guests, test and cancelled orders, answers
   * before their order: neither).
   */
  newCustomers: number;
  returningCustomers: number;
  /** Answers from a known customer, and the net revenue of that customer's orders in the 90 days after each. */
  customerAnswers: number;
  followNetMinor: bigint;
  promoters: number;
  passives: number;
  detractors: number;
}

export interface AttributionRow {
  channel: string;
  answers: number;
  orders: number;
  netMinor: bigint;
  /** Share of answers from a first order, among answers from a first or a returning customer's order. */
  newCustomerShare: Figure;
  /** Mean net revenue per answering customer in the 90 days after the answer; null without such answers. */
  revenue90PerCustomerMinor: bigint | null;
  /** Share of the answered orders with a refund. */
  returnRate: Figure;
  nps: NpsFigure;
  /** Answers per tier slug, most first (ties by slug). */
  tiers: { tier: string; answers: number }[];
}

const ZERO: Omit<AttributionCounts, "channel" | "tier"> = {
  answers: 0,
  orders: 0,
  netMinor: 0n,
  refundedOrders: 0,
  newCustomers: 0,
  returningCustomers: 0,
  customerAnswers: 0,
  followNetMinor: 0n,
  promoters: 0,
  passives: 0,
  detractors: 0,
};

/** a ÷ b rounded half away from zero, exactly (b > 0). */
export function divideRounded(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError("divisor must be positive");
  const negative = a < 0n;
  const magnitude = negative ? -a : a;
  const quotient = (2n * magnitude + b) / (2n * b);
  return negative ? -quotient : quotient;
}

function sum(a: Omit<AttributionCounts, "channel" | "tier">, b: AttributionCounts): Omit<AttributionCounts, "channel" | "tier"> {
  return {
    answers: a.answers + b.answers,
    orders: a.orders + b.orders,
    netMinor: a.netMinor + b.netMinor,
    refundedOrders: a.refundedOrders + b.refundedOrders,
    newCustomers: a.newCustomers + b.newCustomers,
    returningCustomers: a.returningCustomers + b.returningCustomers,
    customerAnswers: a.customerAnswers + b.customerAnswers,
    followNetMinor: a.followNetMinor + b.followNetMinor,
    promoters: a.promoters + b.promoters,
    passives: a.passives + b.passives,
    detractors: a.detractors + b.detractors,
  };
}

/**
 * The report's rows, one per channel, most answers first (ties: most net revenue, then channel id, so the order is
 * stable); the "" channel (no attribution answer) always last.
 */
export function attributionRows(groups: readonly AttributionCounts[]): AttributionRow[] {
  const byChannel = new Map<string, { totals: Omit<AttributionCounts, "channel" | "tier">; tiers: Map<string, number> }>();
  for (const group of groups) {
    const entry = byChannel.get(group.channel) ?? { totals: ZERO, tiers: new Map<string, number>() };
    entry.totals = sum(entry.totals, group);
    if (group.answers > 0) entry.tiers.set(group.tier, (entry.tiers.get(group.tier) ?? 0) + group.answers);
    byChannel.set(group.channel, entry);
  }
  const rows = [...byChannel].map(([channel, { totals, tiers }]): AttributionRow => ({
    channel,
    answers: totals.answers,
    orders: totals.orders,
    netMinor: totals.netMinor,
    newCustomerShare: shareFigure(totals.newCustomers, totals.newCustomers + totals.returningCustomers),
    revenue90PerCustomerMinor: totals.customerAnswers > 0 ? divideRounded(totals.followNetMinor, BigInt(totals.customerAnswers)) : null,
    returnRate: shareFigure(totals.refundedOrders, totals.orders),
    nps: npsFigure({ promoters: totals.promoters, passives: totals.passives, detractors: totals.detractors }),
    tiers: [...tiers].map(([tier, answers]) => ({ tier, answers })).sort((a, b) => b.answers - a.answers || a.tier.localeCompare(b.tier)),
  }));
  return rows.sort(
    (a, b) =>
      Number(a.channel === "") - Number(b.channel === "") ||
      b.answers - a.answers ||
      (b.netMinor > a.netMinor ? 1 : b.netMinor < a.netMinor ? -1 : 0) ||
      a.channel.localeCompare(b.channel),
  );
}

/** A channel's row as the page shows it: money as exact minor-unit digits (JSON has no bigint), tiers named. */
export interface AttributionRowView extends Omit<AttributionRow, "netMinor" | "revenue90PerCustomerMinor" | "tiers"> {
  label: string;
  netMinor: string;
  revenue90PerCustomerMinor: string | null;
  tiers: { tier: string; label: string; answers: number }[];
}

export function attributionRowView(row: AttributionRow, label: string, tierLabel: (key: string) => string): AttributionRowView {
  return {
    ...row,
    label,
    netMinor: row.netMinor.toString(),
    revenue90PerCustomerMinor: row.revenue90PerCustomerMinor?.toString() ?? null,
    tiers: row.tiers.map((t) => ({ ...t, label: tierLabel(t.tier) })),
  };
}
