import { tierSlug } from "~/domain/loyalty/program";
import { minorToDecimal } from "~/domain/money";
import {
  exportAnswerRows,
  exportFlowTriggerRows,
  exportFollowUpRows,
  exportLedgerRows,
  exportOrderRows,
  exportRedemptionRows,
  exportTierChangeRows,
} from "~/models/privacy-export.server";
import { findCustomer } from "~/models/customer-queries.server";
import { exportFlowActionRunRows } from "~/models/flow-actions.server";
import { exportFollowUpNoteRows, exportGoodwillRows } from "~/models/followup-work.server";
import { findPrivacyRequest } from "~/models/privacy-requests.server";
import { getLoyaltyProgram } from "./loyalty.server";
import { shopDisplay } from "./shop-profile.server";

/**
 * A customers/data_request's export: everything Afterglow holds about that customer in that shop, as one JSON
 * document assembled from the shop's own rows when the merchant downloads it (so it reflects a later redaction).
 * These are one customer's rows; each section is bounded, and says so if the bound was reached.
 */
const EXPORT_SECTION_LIMIT = 10_000;
const EXPORT_FORMAT = "afterglow-customer-data/1";

/** What the export never contains because Afterglow does not hold it (stated in the file). */
const NOT_HELD = [
  "Phone numbers, postal addresses and payment details: Afterglow never stores them (the phone and email in Shopify's request are not kept).",
  "Products and line items of orders: only each order's number, totals, status and dates are kept.",
  "Browsing, device or location data: Afterglow collects none.",
  "Shopify's own customer record: the merchant's Shopify admin holds it and exports it separately.",
];

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** An amount as integer minor units plus currency, and the same written as an exact decimal ("42.50"). */
const money = (minor: number, currency: string) => ({ minor, currency, decimal: minorToDecimal(minor, currency) });

/** Rows up to the limit, and whether there were more (the reads ask for one extra). */
function bounded<T>(rows: T[]): { rows: T[]; truncated: boolean } {
  return { rows: rows.slice(0, EXPORT_SECTION_LIMIT), truncated: rows.length > EXPORT_SECTION_LIMIT };
}

export type CustomerDataExport = Awaited<ReturnType<typeof assemble>>;

/**
 * The export of privacy request `requestId` of `shop`; null when the shop has no such data request (unknown id,
 * another shop's request, or a redaction).
 */
export async function customerDataExport(shop: string, requestId: number): Promise<{ filename: string; data: CustomerDataExport } | null> {
  const now = new Date();
  const request = await findPrivacyRequest(shop, requestId);
  if (!request || request.kind !== "data-request") return null;
  const data = await assemble(shop, request, now);
  return { filename: `afterglow-data-request-${request.id}-customer-${request.customerId}.json`, data };
}

async function assemble(shop: string, request: NonNullable<Awaited<ReturnType<typeof findPrivacyRequest>>>, now: Date) {
  const { customerId, orderIds } = request;
  const take = EXPORT_SECTION_LIMIT + 1;
  const [customer, orders, answers, ledger, tierChanges, followUps, redemptions, flowActionRuns, followUpNotes, goodwill, flowTriggers, display, { program }] = await Promise.all([
    findCustomer(shop, customerId),
    exportOrderRows(shop, customerId, orderIds, take),
    exportAnswerRows(shop, customerId, orderIds, take),
    exportLedgerRows(shop, customerId, take),
    exportTierChangeRows(shop, customerId, take),
    exportFollowUpRows(shop, customerId, orderIds, take),
    exportRedemptionRows(shop, customerId, take),
    exportFlowActionRunRows(shop, customerId, orderIds, take),
    exportFollowUpNoteRows(shop, customerId, orderIds, take),
    exportGoodwillRows(shop, customerId, take),
    exportFlowTriggerRows(shop, customerId, orderIds, take),
    shopDisplay(shop),
    getLoyaltyProgram(shop),
  ]);
  const tierNames = new Map(program.tiers.map((t) => [tierSlug(t.name), t.name]));
  const tier = (slug: string | null) => (slug === null ? null : { slug, name: tierNames.get(slug) ?? slug });
  const sections = {
    orders: bounded(orders),
    surveyAnswers: bounded(answers),
    pointsLedger: bounded(ledger),
    tierHistory: bounded(tierChanges),
    followUps: bounded(followUps),
    rewardRedemptions: bounded(redemptions),
    flowActionRuns: bounded(flowActionRuns),
    followUpNotes: bounded(followUpNotes),
    goodwill: bounded(goodwill),
    flowTriggers: bounded(flowTriggers),
  };
  const shopMoney = (minor: number) => money(minor, display.currency);

  return {
    header: {
      format: EXPORT_FORMAT,
      shop,
      customerId,
      privacyRequestId: request.id,
      shopifyDataRequestId: request.dataRequestId,
      ordersRequested: orderIds,
      requestReceivedAt: request.receivedAt.toISOString(),
      generatedAt: now.toISOString(),
      notes: [
        "Everything Afterglow holds about this customer in this shop, plus the guest orders and answers of the orders Shopify named in the request.",
        "Amounts are integer minor units of their currency, with the same amount as an exact decimal. Times are UTC (ISO 8601).",
        "A null customer means Afterglow holds no customer record with this id (never seen on an order, or the shop's data was deleted).",
      ],
      notHeld: NOT_HELD,
      truncated: Object.fromEntries(Object.entries(sections).map(([name, section]) => [name, section.truncated])),
    },
    customer: customer && {
      id: customer.id,
      firstName: customer.firstName,
      lastName: customer.lastName,
      email: customer.email,
      firstSeenAt: customer.createdAt.toISOString(),
      lifetimeNetSpend: shopMoney(customer.lifetimeNetMinor),
      last12MonthsNetSpend: shopMoney(customer.rolling12NetMinor),
      lifetimeGrossSpend: shopMoney(customer.lifetimeGrossMinor),
      orderCount: customer.orderCount,
      last12MonthsOrderCount: customer.rolling12Orders,
      firstOrderAt: iso(customer.firstOrderAt),
      lastOrderAt: iso(customer.lastOrderAt),
      tier: tier(customer.tierSlug),
      pointsBalance: customer.pointsBalance,
      // Points still waiting out their orders' return windows, and when the next of them become available (decision 043).
      pointsPending: customer.pointsPending,
      pointsPendingNextAt: iso(customer.pointsPendingNextAt),
    },
    orders: sections.orders.rows.map((o) => ({
      id: o.id,
      name: o.name,
      guest: o.customerId === null,
      placedAt: o.placedAt.toISOString(),
      total: money(o.totalMinor, o.currency),
      presentmentTotal: money(o.presentmentTotalMinor, o.presentmentCurrency),
      refunded: money(o.refundedMinor, o.currency),
      financialStatus: o.financialStatus,
      cancelledAt: iso(o.cancelledAt),
      test: o.test,
    })),
    surveyAnswers: sections.surveyAnswers.rows.map((a) => ({
      id: a.id,
      orderId: a.orderId,
      guest: a.customerId === null,
      nps: a.nps,
      csat: a.csat,
      ces: a.ces,
      attribution: a.attributionOption,
      attributionOther: a.attributionOther,
      comment: a.comment,
      // Answers to the merchant's own questions by question id: choices and ratings, and the shopper's words.
      customAnswers: a.customAnswers,
      customText: a.customText,
      locale: a.locale,
      surface: a.surface,
      answeredAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
    })),
    pointsLedger: sections.pointsLedger.rows.map((l) => ({
      id: l.id,
      at: l.createdAt.toISOString(),
      kind: l.kind,
      points: l.points,
      orderId: l.orderId,
      note: l.note,
      staff: l.staff,
    })),
    tierHistory: sections.tierHistory.rows.map((t) => ({
      id: t.id,
      at: t.createdAt.toISOString(),
      from: tier(t.fromSlug),
      to: tier(t.toSlug),
      cause: t.cause,
    })),
    followUps: sections.followUps.rows.map((f) => ({
      id: f.id,
      orderId: f.orderId,
      surveyAnswerId: f.responseId,
      kind: f.kind,
      trigger: f.trigger,
      status: f.status,
      owner: f.owner,
      notes: f.notes,
      createdAt: f.createdAt.toISOString(),
      updatedAt: f.updatedAt.toISOString(),
      resolvedAt: iso(f.resolvedAt),
    })),
    rewardRedemptions: sections.rewardRedemptions.rows.map((r) => ({
      id: r.id,
      rewardId: r.rewardId,
      reward: r.title,
      points: r.points,
      code: r.code,
      status: r.status,
      reason: r.reason,
      issuedBy: r.staff,
      staffReason: r.note,
      expiresAt: r.expiresAt.toISOString(),
      usedOnOrder: r.usedOrderId,
      usedAt: iso(r.usedAt),
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    })),
    // Shopify Flow actions run on the customer or their orders: what the merchant's workflow asked and what came of it.
    flowActionRuns: sections.flowActionRuns.rows.map((r) => ({
      actionRunId: r.actionRunId,
      action: r.handle,
      outcome: r.outcome,
      detail: r.detail,
      points: r.points,
      followUpStatus: r.followUpStatus,
      orderId: r.orderId,
      at: r.createdAt.toISOString(),
    })),
    // Decision 044: staff notes on their follow-ups (with who wrote them), and goodwill given to them.
    followUpNotes: sections.followUpNotes.rows.map((n) => ({
      id: n.id,
      followUpId: n.followUpId,
      orderId: n.orderId,
      author: n.author,
      note: n.body,
      at: n.createdAt.toISOString(),
    })),
    goodwill: sections.goodwill.rows.map((g) => ({
      id: g.id,
      followUpId: g.followUpId,
      orderId: g.orderId,
      kind: g.kind,
      points: g.points,
      reward: g.reward,
      rewardRedemptionId: g.redemptionId,
      // A code's state is its redemption's (decision 050); `refusal`: Shopify's reason for a refused code.
      status: g.status,
      refusal: g.refusal,
      reason: g.reason,
      givenBy: g.staff,
      at: g.createdAt.toISOString(),
    })),
    // Decision 050: what Afterglow queued for, or sent to, Shopify Flow about them (the trigger and its payload).
    flowTriggers: sections.flowTriggers.rows.map((m) => ({
      id: m.id,
      trigger: m.trigger,
      payload: m.payload,
      status: m.status,
      orderId: m.orderId,
      queuedAt: m.createdAt.toISOString(),
      sentAt: iso(m.deliveredAt),
    })),
  };
}
