import { prisma, readSql } from "~/db.server";
import { sqlDate, sqlNumber, sqlStamp } from "./sql-values";

/**
 * Reads behind a customer data export (services/privacy-export.server.ts): one function per source table, each
 * scoped by `shop` and bounded by `limit`. "The customer's rows" are the rows carrying their customer id, plus the
 * guest rows (no customer) of the orders Shopify named in the request; never another customer's.
 */

type Num = number | bigint | null;
type Stamp = Date | number | bigint | string | null;

/** Prisma filter: the customer's own rows, or guest rows of the named orders. */
const ownedOrGuest = (customerId: string, orderIds: string[]) => ({ OR: [{ customerId }, { customerId: null, orderId: { in: orderIds } }] });

interface ExportOrderRow {
  id: string;
  name: string;
  customerId: string | null;
  placedAt: Date;
  currency: string;
  totalMinor: number;
  presentmentCurrency: string;
  presentmentTotalMinor: number;
  refundedMinor: number;
  financialStatus: string | null;
  cancelledAt: Date | null;
  test: boolean;
}

/**
 * The customer's orders and the named guest orders, oldest first, with refunds summed in SQL (shop currency), on the
 * read connection.
 */
export async function exportOrderRows(shop: string, customerId: string, orderIds: string[], limit: number): Promise<ExportOrderRow[]> {
  const rows = await readSql().$queryRaw<
    {
      id: string;
      name: string;
      customerId: string | null;
      placedAt: Stamp;
      currency: string;
      totalMinor: Num;
      presentmentCurrency: string;
      presentmentTotalMinor: Num;
      refunded: Num;
      financialStatus: string | null;
      cancelledAt: Stamp;
      test: boolean;
    }[]
  >`
    SELECT o."id", o."name", o."customerId", o."placedAt", o."currency", o."totalMinor", o."presentmentCurrency",
           o."presentmentTotalMinor", o."financialStatus", o."cancelledAt", o."test",
           (SELECT COALESCE(SUM(r."shopAmountMinor"), 0) FROM "Refund" r WHERE r."shop" = o."shop" AND r."orderId" = o."id") AS refunded
    FROM "Order" o
    WHERE o."shop" = ${shop}
      AND (o."customerId" = ${customerId}
           OR (o."customerId" IS NULL AND o."id" = ANY(${orderIds}::text[])))
    ORDER BY o."placedAt" ASC, o."id" ASC
    LIMIT ${limit}`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    customerId: r.customerId,
    placedAt: sqlStamp(r.placedAt),
    currency: r.currency,
    totalMinor: sqlNumber(r.totalMinor),
    presentmentCurrency: r.presentmentCurrency,
    presentmentTotalMinor: sqlNumber(r.presentmentTotalMinor),
    refundedMinor: sqlNumber(r.refunded),
    financialStatus: r.financialStatus,
    cancelledAt: sqlDate(r.cancelledAt),
    test: r.test,
  }));
}

/** Survey answers of the customer and of the named guest orders, oldest first. */
export async function exportAnswerRows(shop: string, customerId: string, orderIds: string[], limit: number) {
  return prisma.surveyResponse.findMany({
    where: { shop, ...ownedOrGuest(customerId, orderIds) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
    select: {
      id: true,
      orderId: true,
      customerId: true,
      nps: true,
      csat: true,
      ces: true,
      attributionOption: true,
      attributionOther: true,
      comment: true,
      customAnswers: true,
      customText: true,
      locale: true,
      surface: true,
      createdAt: true,
      updatedAt: true,
    },
  });
}

/** The customer's points ledger, oldest first (points as a number: the ingest caps them below 2^53). */
export async function exportLedgerRows(shop: string, customerId: string, limit: number) {
  const rows = await prisma.pointsLedger.findMany({
    where: { shop, customerId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, createdAt: true, kind: true, points: true, orderId: true, note: true, staff: true },
  });
  return rows.map((row) => ({ ...row, points: Number(row.points) }));
}

/** The customer's tier changes, oldest first. */
export async function exportTierChangeRows(shop: string, customerId: string, limit: number) {
  return prisma.tierChange.findMany({
    where: { shop, customerId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, createdAt: true, fromSlug: true, toSlug: true, cause: true },
  });
}

/** Follow-ups on the customer's answers and on the named guest orders' answers, oldest first. */
export async function exportFollowUpRows(shop: string, customerId: string, orderIds: string[], limit: number) {
  return prisma.followUp.findMany({
    where: { shop, ...ownedOrGuest(customerId, orderIds) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
    select: {
      id: true,
      orderId: true,
      responseId: true,
      kind: true,
      trigger: true,
      status: true,
      owner: true,
      notes: true,
      createdAt: true,
      updatedAt: true,
      resolvedAt: true,
    },
  });
}

/** The customer's reward redemptions, oldest first. */
export async function exportRedemptionRows(shop: string, customerId: string, limit: number) {
  return prisma.rewardRedemption.findMany({
    where: { shop, customerId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, rewardId: true, title: true, points: true, code: true, status: true, reason: true, staff: true, note: true, expiresAt: true, usedOrderId: true, usedAt: true, createdAt: true, updatedAt: true },
  });
}

/**
 * The Shopify Flow trigger messages about the customer and the named guest orders (decision 050), oldest first, with
 * what each carried: index "OutboxMessage_shop_flow_customer_idx" (shop, customerId, orderId) WHERE operation =
 * 'flowTriggerReceive'.
 */
export async function exportFlowTriggerRows(shop: string, customerId: string, orderIds: string[], limit: number) {
  const rows = await readSql().$queryRaw<{ id: number; variables: string; status: string; orderId: string | null; createdAt: Stamp; deliveredAt: Stamp }[]>`
    SELECT "id", "variables", "status", "orderId", "createdAt", "deliveredAt" FROM "OutboxMessage"
    WHERE "shop" = ${shop} AND "operation" = 'flowTriggerReceive'
      AND ("customerId" = ${customerId} OR ("customerId" IS NULL AND "orderId" = ANY(${orderIds}::text[])))
    ORDER BY "id" ASC
    LIMIT ${limit}`;
  return rows.map((r) => {
    const variables = JSON.parse(r.variables) as { handle?: unknown; payload?: unknown };
    return {
      id: Number(r.id),
      trigger: typeof variables.handle === "string" ? variables.handle : null,
      payload: variables.payload ?? null,
      status: r.status,
      orderId: r.orderId,
      createdAt: sqlStamp(r.createdAt),
      deliveredAt: sqlDate(r.deliveredAt),
    };
  });
}
