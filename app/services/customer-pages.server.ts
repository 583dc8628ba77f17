import { decodeJsonCursor, encodeJsonCursor, keysetPage, type PageInfo } from "~/domain/cursor";
import type { LoyaltyProgram } from "~/domain/loyalty/program";
import { tierSlug } from "~/domain/loyalty/program";
import { formatThreshold, nextTier, qualifyingValue, tierFor } from "~/domain/loyalty/tiers";
import {
  countCustomerLedger,
  customerLedger,
  customerListPage,
  customerOrders,
  customerTierChanges,
  CUSTOMER_SORTS,
  findCustomer,
  type CustomerSort,
  type KeysetPosition,
  type SortDirection,
} from "~/models/customer-queries.server";
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

interface CustomerListParams {
  search: string | null;
  sort: CustomerSort;
  direction: SortDirection;
  after: string | null;
  before: string | null;
  limit: number;
}

/** Reads the list's URL parameters (q, sort, dir, after, before, limit), falling back to defaults on nonsense. */
export function parseCustomerListParams(params: URLSearchParams): CustomerListParams {
  const sortParam = params.get("sort");
  const sort = (CUSTOMER_SORTS as readonly string[]).includes(sortParam ?? "") ? (sortParam as CustomerSort) : "spend";
  const dirParam = params.get("dir");
  const direction: SortDirection = dirParam === "asc" || dirParam === "desc" ? dirParam : "desc";
  const limitParam = Number(params.get("limit"));
  const limit = Number.isInteger(limitParam) && limitParam > 0 ? Math.min(limitParam, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  const search = params.get("q")?.trim().slice(0, 100) || null;
  return { search, sort, direction, after: params.get("after") || null, before: params.get("before") || null, limit };
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
  sort: CustomerSort;
  direction: SortDirection;
  limit: number;
  customers: CustomerListItem[];
  pageInfo: PageInfo;
}

/** A display name even for a redacted customer (customers/redact erases name and email). */
function customerName(c: { id: string; firstName: string | null; lastName: string | null; email: string | null }) {
  const name = [c.firstName, c.lastName].filter(Boolean).join(" ").trim();
  return name || c.email || `Customer ${c.id}`;
}

/** One page of the Customers list. */
export async function listCustomers(shop: string, params: CustomerListParams): Promise<CustomerList> {
  const before = decodeCursor(params.before, params.sort, params.direction);
  const after = before ? null : decodeCursor(params.after, params.sort, params.direction);
  const [rows, { program }, shown] = await Promise.all([
    customerListPage(shop, {
      search: params.search,
      sort: params.sort,
      direction: params.direction,
      after,
      before,
      limit: params.limit,
    }),
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
    sort: params.sort,
    direction: params.direction,
    limit: params.limit,
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

const LEDGER_LIMIT = 50;
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
    points: number;
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
  ledger: {
    id: number;
    createdAt: string;
    kind: string;
    points: number;
    note: string | null;
    staff: string | null;
    orderId: string | null;
    orderName: string | null;
  }[];
  ledgerTotal: number;
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
export async function customerProfile(shop: string, customerId: string): Promise<CustomerProfile | null> {
  const now = new Date();
  const customer = await findCustomer(shop, customerId);
  if (!customer) return null;
  const [{ program }, shown, ledger, ledgerTotal, tierChanges, orders] = await Promise.all([
    getLoyaltyProgram(shop),
    shopDisplay(shop),
    customerLedger(shop, customerId, LEDGER_LIMIT),
    countCustomerLedger(shop, customerId),
    customerTierChanges(shop, customerId, TIER_HISTORY_LIMIT),
    customerOrders(shop, customerId, ORDERS_LIMIT + 1),
  ]);
  const shownOrders = orders.slice(0, ORDERS_LIMIT);
  const returns = await returnsForOrders(
    shop,
    shownOrders.map((o) => o.id),
    { timeZone: shown.timezone, now },
  );
  const label = tierLabeller(program);
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
    ledger: ledger.map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      kind: row.kind,
      points: row.points,
      note: row.note,
      staff: row.staff,
      orderId: row.orderId,
      orderName: row.orderName,
    })),
    ledgerTotal,
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
