import { Prisma } from "@prisma/client";
import { readSql } from "~/db.server";
import { likePattern, sqlNullableNumber, sqlStamp } from "./sql-values";

/** The latest comments given in [from, to), newest first, optionally containing `search` (case-insensitive). */
interface CommentRow {
  id: number;
  orderId: string;
  /** The order's name ("#1001") when its webhook arrived. */
  orderName: string | null;
  customerId: string | null;
  comment: string;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  locale: string;
  createdAt: Date;
}

/** How many comments the dashboard lists. */
const LATEST_COMMENTS = 10;

export async function latestComments(shop: string, from: Date, to: Date, search: string | null): Promise<CommentRow[]> {
  const filter = search ? Prisma.sql`AND r."comment" ILIKE ${likePattern(search)} ESCAPE '\\'` : Prisma.empty;
  // SurveyResponse[shop, createdAt] walked newest first; ILIKE matches regardless of case.
  const rows = await readSql().$queryRaw<CommentRow[]>`
    SELECT r."id", r."orderId", o."name" AS "orderName", r."customerId", r."comment", r."nps", r."csat", r."ces", r."locale", r."createdAt"
    FROM "SurveyResponse" r
    LEFT JOIN "Order" o ON o."shop" = r."shop" AND o."id" = r."orderId"
    WHERE r."shop" = ${shop} AND r."createdAt" >= ${from} AND r."createdAt" < ${to}
      AND r."comment" IS NOT NULL ${filter}
    ORDER BY r."createdAt" DESC, r."id" DESC
    LIMIT ${LATEST_COMMENTS}`;
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    nps: sqlNullableNumber(r.nps),
    csat: sqlNullableNumber(r.csat),
    ces: sqlNullableNumber(r.ces),
    createdAt: sqlStamp(r.createdAt),
  }));
}
