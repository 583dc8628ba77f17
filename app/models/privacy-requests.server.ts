import { Prisma } from "@prisma/client";
import { prisma, readSql } from "~/db.server";
import { sqlStamp } from "./sql-values";

/**
 * The only Prisma code for PrivacyRequest: the compliance requests the Privacy page lists. Every function takes
 * `shop` first and scopes every statement by it. Rows hold ids only (no email, no phone).
 */
export type PrivacyRequestKind = "data-request" | "customer-redact";

interface PrivacyRequestRow {
  id: number;
  kind: PrivacyRequestKind;
  dataRequestId: string | null;
  customerId: string;
  orderIds: string[];
  rowsChanged: number | null;
  receivedAt: Date;
}

interface NewDataRequest {
  webhookId: string;
  dataRequestId: string;
  customerId: string;
  orderIds: string[];
}

type Num = number | bigint | null;
type Stamp = Date | number | bigint | string | null;

function parseOrderIds(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/**
 * Records a customers/data_request once: a repeated delivery (same webhook id) or the same request delivered again
 * under a new webhook id (same data_request id) inserts nothing. Returns whether a row was inserted.
 */
export async function insertDataRequest(shop: string, request: NewDataRequest, receivedAt: Date): Promise<boolean> {
  const inserted = await prisma.$executeRaw`
    INSERT INTO "PrivacyRequest" ("shop", "kind", "webhookId", "dataRequestId", "customerId", "orderIds", "receivedAt")
    VALUES (${shop}, 'data-request', ${request.webhookId}, ${request.dataRequestId}, ${request.customerId},
            ${JSON.stringify(request.orderIds)}, ${receivedAt})
    ON CONFLICT DO NOTHING`;
  return inserted > 0;
}

/**
 * The statement that records a customers/redact with the rows it changed, for the redaction's own transaction
 * (models/privacy.server.ts). A repeated delivery (same webhook id) inserts nothing.
 */
export function insertCustomerRedactStatement(
  shop: string,
  request: { webhookId: string; customerId: string; orderIds: string[]; rowsChanged: number },
  receivedAt: Date,
): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "PrivacyRequest" ("shop", "kind", "webhookId", "customerId", "orderIds", "rowsChanged", "receivedAt")
    VALUES (${shop}, 'customer-redact', ${request.webhookId}, ${request.customerId}, ${JSON.stringify(request.orderIds)},
            ${request.rowsChanged}, ${receivedAt})
    ON CONFLICT DO NOTHING`;
}

/** A position in the newest-first list: the row's receivedAt (ms) and id. */
export interface PrivacyListPosition {
  at: number;
  id: number;
}

/**
 * One page of the shop's requests, newest first (receivedAt, id), by keyset on @@index([shop, receivedAt, id]), on
 * the read connection: strictly after `after`, or strictly before `before` (then read backwards and turned around).
 * Returns up to `limit + 1` rows in display order; the extra row says there is more in the direction paged.
 */
export async function privacyRequestPage(
  shop: string,
  query: { after: PrivacyListPosition | null; before: PrivacyListPosition | null; limit: number },
): Promise<PrivacyRequestRow[]> {
  const conditions: Prisma.Sql[] = [Prisma.sql`"shop" = ${shop}`];
  if (query.before) {
    const { at, id } = query.before;
    conditions.push(Prisma.sql`("receivedAt", "id") > (${new Date(at)}::timestamptz, ${id}::int)`);
  } else if (query.after) {
    const { at, id } = query.after;
    conditions.push(Prisma.sql`("receivedAt", "id") < (${new Date(at)}::timestamptz, ${id}::int)`);
  }
  const order = query.before ? Prisma.raw("ASC") : Prisma.raw("DESC");
  const rows = await readSql().$queryRaw<
    { id: Num; kind: string; dataRequestId: string | null; customerId: string; orderIds: string; rowsChanged: Num; receivedAt: Stamp }[]
  >`
    SELECT "id", "kind", "dataRequestId", "customerId", "orderIds", "rowsChanged", "receivedAt"
    FROM "PrivacyRequest"
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY "receivedAt" ${order}, "id" ${order}
    LIMIT ${query.limit + 1}`;
  const mapped = rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind as PrivacyRequestKind,
    dataRequestId: r.dataRequestId,
    customerId: r.customerId,
    orderIds: parseOrderIds(r.orderIds),
    rowsChanged: r.rowsChanged === null ? null : Number(r.rowsChanged),
    receivedAt: sqlStamp(r.receivedAt),
  }));
  if (!query.before) return mapped;
  // Read backwards: the row past the limit is the oldest-read one; keep it last so the caller can drop it.
  const extra = mapped.length > query.limit ? mapped.slice(query.limit) : [];
  return [...mapped.slice(0, query.limit).reverse(), ...extra];
}

/** The shop's request `id`; null when unknown or another shop's. */
export async function findPrivacyRequest(shop: string, id: number): Promise<PrivacyRequestRow | null> {
  const row = await prisma.privacyRequest.findFirst({ where: { shop, id } });
  if (!row) return null;
  return {
    id: row.id,
    kind: row.kind as PrivacyRequestKind,
    dataRequestId: row.dataRequestId,
    customerId: row.customerId,
    orderIds: parseOrderIds(row.orderIds),
    rowsChanged: row.rowsChanged,
    receivedAt: row.receivedAt,
  };
}
