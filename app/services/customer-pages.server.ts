import { decodeJsonCursor, encodeJsonCursor, keysetPage, readCursorParam, type PageInfo } from "~/domain/cursor";
import { describeTrigger } from "~/domain/followups/rules";
import type { LoyaltyProgram } from "~/domain/loyalty/program";
import { tierSlug } from "~/domain/loyalty/program";
import { formatThreshold, nextTier, qualifyingValue, tierFor } from "~/domain/loyalty/tiers";
import {
  countCustomerLedger,
  countCustomers,
  customerAnswers,
  type CustomerAnswerRow,
  customerLedgerPage,
  customerListPage,
  customerOrders,
  customerTierChanges,
  CUSTOMER_SORTS,
  findCustomer,
  NPS_GROUPS,
  type CustomerFilter,
  type CustomerSort,
  type KeysetPosition,
  type NpsGroup,
  type SortDirection,
} from "~/models/customer-queries.server";
import type { FollowUpNoteView, GoodwillView } from "~/domain/followups/views";
import { followUpsOfCustomer } from "~/models/followups.server";
import { followUpWork } from "./followup-work.server";
import { latestNpsByCustomer } from "~/models/survey-responses.server";
import { getLoyaltyProgram } from "./loyalty.server";
import { returnsForOrders, type OrderReturnView } from "./return-eligibility.server";
import { shopDisplay } from "./shop-profile.server";

/**
 * Read models of the Customers pages: the list and a customer's page. Everything is scoped by shop and shaped as
 * plain JSON-friendly objects (dates as ISO strings) that components take as props. The shop's currency and time
 * zone come from shop-profile.server.ts, the Loyalty page's data from loyalty.server.ts.
 */

interface TierLabel {
  slug: string;
  name: string;
  color: string | null;
}

/** Slug → name/colour of the program's tiers; a slug from an older program (tier since removed) shows as itself. */
function tierLabeller(program: LoyaltyProgram) {
  const bySlug = new Map(program.tiers.map((t) => [tierSlug(t.name), { name: t.name, color: t.color }]));
  return (slug: string | null): TierLabel | null => {
    if (slug === null) return null;
    const tier = bySlug.get(slug);
    return { slug, name: tier?.name ?? slug, color: tier?.color ?? null };
  };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

// ---------------------------------------------------------------------------------------------------------------
// Customers list

const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;

/**
 * The list's `tier` parameter for customers without a tier: a slug never starts with "_" (tierSlug), so no tier name
 * can take this value.
 */
const NO_TIER_PARAM = "_none";
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

interface CustomerListParams {
  search: string | null;
  /** A tier slug, NO_TIER_PARAM, or null for every customer. */
  tier: string | null;
  npsGroup: NpsGroup | null;
  sort: CustomerSort;
  direction: SortDirection;
  after: string | null;
  before: string | null;
  limit: number;
}

/** Reads the list's URL parameters (q, tier, nps, sort, dir, after, before, limit), falling back to defaults on nonsense. */
export function parseCustomerListParams(params: URLSearchParams): CustomerListParams {
  const sortParam = params.get("sort");
  const sort = (CUSTOMER_SORTS as readonly string[]).includes(sortParam ?? "") ? (sortParam as CustomerSort) : "spend";
  const dirParam = params.get("dir");
  const direction: SortDirection = dirParam === "asc" || dirParam === "desc" ? dirParam : "desc";
  const limitParam = Number(params.get("limit"));
  const limit = Number.isInteger(limitParam) && limitParam > 0 ? Math.min(limitParam, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  const search = params.get("q")?.trim().slice(0, 100) || null;
  const tierParam = params.get("tier") ?? "";
  const tier = tierParam === NO_TIER_PARAM || (tierParam.length <= 100 && SLUG.test(tierParam)) ? tierParam : null;
  const npsParam = params.get("nps") ?? "";
  const npsGroup = (NPS_GROUPS as readonly string[]).includes(npsParam) ? (npsParam as NpsGroup) : null;
  return {
    search,
    tier,
    npsGroup,
    sort,
    direction,
    after: readCursorParam(params.get("after")),
    before: readCursorParam(params.get("before")),
    limit,
  };
}

/**
 * The list's own URL parameters in one order, defaults left out: what a customer page carries (`list=`) to lead
 * back to the same list, page and filters. Built from parsed parameters only, so it never carries anything else.
 */
function customerListQuery(params: CustomerListParams): string {
  const query = new URLSearchParams();
  if (params.search) query.set("q", params.search);
  if (params.tier) query.set("tier", params.tier);
  if (params.npsGroup) query.set("nps", params.npsGroup);
  if (params.sort !== "spend") query.set("sort", params.sort);
  if (params.direction !== "desc") query.set("dir", params.direction);
  if (params.limit !== DEFAULT_PAGE_SIZE) query.set("limit", String(params.limit));
  if (params.before) query.set("before", params.before);
  else if (params.after) query.set("after", params.after);
  return query.toString();
}

/** The model's filter for the list's parameters. */
function listFilter(params: CustomerListParams): CustomerFilter {
  return {
    search: params.search,
    tier: params.tier === null ? null : { slug: params.tier === NO_TIER_PARAM ? null : params.tier },
    npsGroup: params.npsGroup,
  };
}

interface CursorPayload {
  s: CustomerSort;
  d: SortDirection;
  v: number | null;
  i: string;
}

/** An opaque cursor (app/domain/cursor.ts): JSON of the row's (sort value, id) and the order it belongs to. */
function encodeCursor(sort: CustomerSort, direction: SortDirection, position: KeysetPosition): string {
  const payload: CursorPayload = { s: sort, d: direction, v: position.value, i: position.id };
  return encodeJsonCursor(payload);
}

/** 0001-01-01 and the last instant a JS Date holds (+275760-09-13): both within timestamptz's range. */
const FIRST_INSTANT = Date.parse("0001-01-01T00:00:00Z");
const LAST_INSTANT = 8.64e15;

/** The position in a cursor, or null when it is malformed or belongs to another sort order (then: first page). */
export function decodeCursor(cursor: string | null, sort: CustomerSort, direction: SortDirection): KeysetPosition | null {
  const payload = decodeJsonCursor(cursor);
  if (typeof payload !== "object" || payload === null) return null;
  const { s, d, v, i } = payload as Partial<CursorPayload>;
  if (s !== sort || d !== direction || typeof i !== "string") return null;
  if (v !== null && !(typeof v === "number" && Number.isSafeInteger(v))) return null;
  // A date's epoch milliseconds must be an instant the database can compare (years 1 to 275760).
  if (sort === "last-order" && typeof v === "number" && !(v >= FIRST_INSTANT && v <= LAST_INSTANT)) return null;
  return { value: v ?? null, id: i };
}

interface CustomerListItem {
  id: string;
  name: string;
  email: string | null;
  tier: TierLabel | null;
  points: number;
  netSpendMinor: number;
  orders: number;
  lastOrderAt: string | null;
  /** The customer's latest NPS answer (0–10) from the post-purchase survey; null when they never gave one. */
  latestNps: number | null;
}

export interface CustomerList {
  currency: string;
  timezone: string;
  search: string | null;
  /** The tier filter: a slug, NO_TIER_PARAM, or null. */
  tier: string | null;
  npsGroup: NpsGroup | null;
  /** The tier filter's choices: the program's tiers, lowest first, then "No tier" (and the filtered slug if the program no longer has it). */
  tierChoices: { value: string; label: string }[];
  sort: CustomerSort;
  direction: SortDirection;
  limit: number;
  /** How many customers the search and filters keep, over every page. */
  total: number;
  /** customerListQuery of this list: customer links carry it to lead back here. */
  listQuery: string;
  customers: CustomerListItem[];
  pageInfo: PageInfo;
}

/** A display name even for a redacted customer (customers/redact erases name and email). */
function customerName(c: { id: string; firstName: string | null; lastName: string | null; email: string | null }) {
  const name = [c.firstName, c.lastName].filter(Boolean).join(" ").trim();
  return name || c.email || `Customer ${c.id}`;
}

function tierChoices(program: LoyaltyProgram, current: string | null): CustomerList["tierChoices"] {
  const choices = [...program.tiers.map((t) => ({ value: tierSlug(t.name), label: t.name })), { value: NO_TIER_PARAM, label: "No tier" }];
  // A tier of an older program (renamed or removed since) stays choosable while it is the filter.
  if (current && !choices.some((c) => c.value === current)) choices.unshift({ value: current, label: current });
  return choices;
}

/** One page of the Customers list. */
export async function listCustomers(shop: string, params: CustomerListParams): Promise<CustomerList> {
  const before = decodeCursor(params.before, params.sort, params.direction);
  const after = before ? null : decodeCursor(params.after, params.sort, params.direction);
  const filter = listFilter(params);
  const [rows, total, { program }, shown] = await Promise.all([
    customerListPage(shop, {
      ...filter,
      sort: params.sort,
      direction: params.direction,
      after,
      before,
      limit: params.limit,
    }),
    countCustomers(shop, filter),
    getLoyaltyProgram(shop),
    shopDisplay(shop),
  ]);
  const { rows: page, pageInfo } = keysetPage(rows, params.limit, { after: Boolean(after), before: Boolean(before) }, (row) =>
    encodeCursor(params.sort, params.direction, { value: row.sortValue, id: row.id }),
  );
  const npsByCustomer = await latestNpsByCustomer(shop, page.map((row) => row.id));
  const label = tierLabeller(program);
  return {
    ...shown,
    search: params.search,
    tier: params.tier,
    npsGroup: params.npsGroup,
    tierChoices: tierChoices(program, params.tier),
    sort: params.sort,
    direction: params.direction,
    limit: params.limit,
    total,
    listQuery: customerListQuery(params),
    customers: page.map((row) => ({
      id: row.id,
      name: customerName(row),
      email: row.email,
      tier: label(row.tierSlug),
      points: row.pointsBalance,
      netSpendMinor: row.lifetimeNetMinor,
      orders: row.orderCount,
      lastOrderAt: iso(row.lastOrderAt),
      latestNps: npsByCustomer[row.id] ?? null,
    })),
    pageInfo,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Customer detail

const LEDGER_PAGE_SIZE = 20;
const ANSWERS_LIMIT = 50;

interface CustomerPageParams {
  /** Keyset cursors of the points ledger (app/domain/cursor.ts). */
  ledgerAfter: string | null;
  ledgerBefore: string | null;
  /** The list the page was opened from (customerListQuery), for the back action. */
  list: CustomerListParams;
}

/** Reads the customer page's URL parameters: `ledgerAfter` / `ledgerBefore` and `list` (the list's own query). */
export function parseCustomerPageParams(params: URLSearchParams): CustomerPageParams {
  const ledgerBefore = readCursorParam(params.get("ledgerBefore"));
  return {
    ledgerBefore,
    ledgerAfter: ledgerBefore ? null : readCursorParam(params.get("ledgerAfter")),
    list: parseCustomerListParams(new URLSearchParams((params.get("list") ?? "").slice(0, 1000))),
  };
}
const ORDERS_LIMIT = 50;
const TIER_HISTORY_LIMIT = 50;

export interface CustomerProfile {
  currency: string;
  timezone: string;
  customer: {
    id: string;
    name: string;
    email: string | null;
    since: string;
    lifetimeNetMinor: number;
    rolling12NetMinor: number;
    lifetimeGrossMinor: number;
    orderCount: number;
    rolling12Orders: number;
    averageOrderMinor: number | null;
    firstOrderAt: string | null;
    lastOrderAt: string | null;
    /** "new": at most one order; "returning": two or more. */
    status: "new" | "returning";
    /** Points the customer can spend (below zero: owed). */
    points: number;
    /** Points waiting out their orders' return windows, and when the next become available (ISO; null: none). */
    pendingPoints: number;
    pendingAvailableAt: string | null;
  };
  loyalty: {
    basis: LoyaltyProgram["basis"];
    window: LoyaltyProgram["window"];
    /** The number the program compares with thresholds (minor units or orders), and the same for people. */
    qualifyingValue: number;
    qualifyingLabel: string;
    tier: (TierLabel & { threshold: number | null; thresholdLabel: string | null; perks: string | null }) | null;
    next: {
      name: string;
      slug: string;
      color: string;
      threshold: number;
      thresholdLabel: string;
      remaining: number;
      remainingLabel: string;
      progressPercent: number;
    } | null;
    /** True when the stored tier differs from what the current program gives (a recompute is pending). */
    stale: boolean;
  };
  /** Where the back action leads: the list with the search, filters, sort and page it was opened from. */
  backUrl: string;
  /** customerListQuery of that list, for the links that keep it (the ledger's pages). */
  listQuery: string;
  /** One page of the points ledger, newest first. */
  ledger: {
    id: number;
    createdAt: string;
    kind: string;
    points: number;
    note: string | null;
    staff: string | null;
    orderId: string | null;
    orderName: string | null;
    /** Points still pending: when they become available (ISO); else null. */
    availableAt: string | null;
  }[];
  ledgerPageInfo: PageInfo;
  ledgerTotal: number;
  /** The customer's survey answers, newest first, each with the follow-ups it opened or was marked for. */
  answers: (Omit<CustomerAnswerRow, "createdAt"> & {
    createdAt: string;
    followUps: {
      id: number;
      kind: string;
      /** What opened a recovery follow-up, as labels: ["NPS 3"]. */
      trigger: string[];
      status: string;
      owner: string | null;
      notes: string | null;
      createdAt: string;
      resolvedAt: string | null;
      /** Notes staff wrote on it, with author and time, oldest first (decision 044). */
      noteLog: FollowUpNoteView[];
      /** Goodwill given from it: points or a code, with its state (decision 050). */
      goodwill: GoodwillView[];
    }[];
  })[];
  /** More answers than the page shows (the latest ANSWERS_LIMIT). */
  answersTruncated: boolean;
  tierHistory: { id: number; createdAt: string; from: TierLabel | null; to: TierLabel | null; cause: string }[];
  ordersTruncated: boolean;
  /** Whether the shop has saved a return policy (else no order has `returns`). */
  returnPolicySaved: boolean;
  orders: {
    id: string;
    name: string;
    placedAt: string;
    totalMinor: number;
    refundedMinor: number;
    currency: string;
    cancelled: boolean;
    test: boolean;
    /** Whether each item can still be returned, under the policy version in force when the order was placed; null
     * when the shop has no return policy saved. */
    returns: OrderReturnView | null;
  }[];
}

/** Everything the customer page shows; null for an unknown id or another shop's customer. `now` judges return windows. */
export async function customerProfile(shop: string, customerId: string, params: CustomerPageParams): Promise<CustomerProfile | null> {
  const now = new Date();
  const customer = await findCustomer(shop, customerId);
  if (!customer) return null;
  const ledgerPage = { after: params.ledgerAfter, before: params.ledgerBefore, limit: LEDGER_PAGE_SIZE };
  const [{ program }, shown, firstLedger, ledgerTotal, tierChanges, orders, answers, followUps] = await Promise.all([
    getLoyaltyProgram(shop),
    shopDisplay(shop),
    customerLedgerPage(shop, customerId, ledgerPage),
    countCustomerLedger(shop, customerId),
    customerTierChanges(shop, customerId, TIER_HISTORY_LIMIT),
    customerOrders(shop, customerId, ORDERS_LIMIT + 1),
    customerAnswers(shop, customerId, ANSWERS_LIMIT + 1),
    followUpsOfCustomer(shop, customerId),
  ]);
  // A page before a cursor that comes back empty (its rows went away) starts again from the newest.
  const ledger =
    params.ledgerBefore && firstLedger.rows.length === 0 ? await customerLedgerPage(shop, customerId, { limit: LEDGER_PAGE_SIZE }) : firstLedger;
  const shownAnswers = answers.slice(0, ANSWERS_LIMIT);
  // What staff did on the follow-ups shown (notes, goodwill): two statements for all of them.
  const shownIds = new Set(shownAnswers.map((a) => a.id));
  const shownOrders = orders.slice(0, ORDERS_LIMIT);
  const [returns, work] = await Promise.all([
    returnsForOrders(
      shop,
      shownOrders.map((o) => o.id),
      { timeZone: shown.timezone, now },
    ),
    followUpWork(
      shop,
      followUps.filter((f) => shownIds.has(f.responseId)).map((f) => f.id),
    ),
  ]);
  const label = tierLabeller(program);
  const listQuery = customerListQuery(params.list);
  const value = qualifyingValue(program, customer);
  const expected = tierFor(program, customer);
  const current = label(customer.tierSlug);
  const currentTier = program.tiers.find((t) => tierSlug(t.name) === customer.tierSlug) ?? null;
  const upcoming = nextTier(program, customer);
  const money = (value: number) => formatThreshold(program, value, shown.currency);
  let next: CustomerProfile["loyalty"]["next"] = null;
  if (upcoming) {
    const floor = currentTier?.threshold ?? 0;
    const span = upcoming.tier.threshold - floor;
    const progressPercent = span > 0 ? Math.max(0, Math.min(100, Math.floor(((value - floor) * 100) / span))) : 0;
    next = {
      name: upcoming.tier.name,
      slug: upcoming.tier.slug,
      color: upcoming.tier.color,
      threshold: upcoming.tier.threshold,
      thresholdLabel: money(upcoming.tier.threshold),
      remaining: upcoming.remaining,
      remainingLabel: money(upcoming.remaining),
      progressPercent,
    };
  }

  return {
    ...shown,
    customer: {
      id: customer.id,
      name: customerName(customer),
      email: customer.email,
      since: customer.createdAt.toISOString(),
      lifetimeNetMinor: customer.lifetimeNetMinor,
      rolling12NetMinor: customer.rolling12NetMinor,
      lifetimeGrossMinor: customer.lifetimeGrossMinor,
      orderCount: customer.orderCount,
      rolling12Orders: customer.rolling12Orders,
      averageOrderMinor: customer.orderCount > 0 ? Math.round(customer.lifetimeGrossMinor / customer.orderCount) : null,
      firstOrderAt: iso(customer.firstOrderAt),
      lastOrderAt: iso(customer.lastOrderAt),
      status: customer.orderCount > 1 ? "returning" : "new",
      points: customer.pointsBalance,
      // Points waiting out their orders' return windows (decision 043), and when the next become available.
      pendingPoints: customer.pointsPending,
      pendingAvailableAt: iso(customer.pointsPendingNextAt),
    },
    loyalty: {
      basis: program.basis,
      window: program.window,
      qualifyingValue: value,
      qualifyingLabel: money(value),
      tier: current && {
        ...current,
        threshold: currentTier?.threshold ?? null,
        thresholdLabel: currentTier ? money(currentTier.threshold) : null,
        perks: currentTier?.perks.text || null,
      },
      next,
      stale: (expected?.slug ?? null) !== customer.tierSlug,
    },
    backUrl: `/app/customers${listQuery ? `?${listQuery}` : ""}`,
    listQuery,
    ledger: ledger.rows.map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      kind: row.kind,
      points: row.points,
      note: row.note,
      staff: row.staff,
      orderId: row.orderId,
      orderName: row.orderName,
      availableAt: iso(row.availableAt),
    })),
    ledgerPageInfo: ledger.pageInfo,
    ledgerTotal,
    answers: shownAnswers.map((a) => ({
      id: a.id,
      orderId: a.orderId,
      orderName: a.orderName,
      nps: a.nps,
      csat: a.csat,
      ces: a.ces,
      comment: a.comment,
      createdAt: a.createdAt.toISOString(),
      followUps: followUps
        .filter((f) => f.responseId === a.id)
        .map((f) => ({
          id: f.id,
          kind: f.kind,
          trigger: describeTrigger(f.trigger),
          status: f.status,
          owner: f.owner,
          notes: f.notes,
          createdAt: f.createdAt.toISOString(),
          resolvedAt: f.resolvedAt ? f.resolvedAt.toISOString() : null,
          noteLog: work.notesOf(f.id),
          goodwill: work.goodwillOf(f.id),
        })),
    })),
    answersTruncated: answers.length > ANSWERS_LIMIT,
    tierHistory: tierChanges.map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      from: label(row.fromSlug),
      to: label(row.toSlug),
      cause: row.cause,
    })),
    ordersTruncated: orders.length > ORDERS_LIMIT,
    returnPolicySaved: returns.policySaved,
    orders: shownOrders.map((o) => ({
      id: o.id,
      name: o.name,
      placedAt: o.placedAt.toISOString(),
      totalMinor: o.totalMinor,
      refundedMinor: o.refundedMinor,
      currency: o.currency,
      cancelled: o.cancelled,
      test: o.test,
      returns: returns.byOrder.get(o.id) ?? null,
    })),
  };
}
