import { Prisma } from "@prisma/client";
import { decodeTimeIdCursor, encodeTimeIdCursor, keysetPage, type PageInfo } from "~/domain/cursor";

/**
 * Keyset pages of a list ordered by (createdAt, id), newest first, where `id` is an `Int` column: the follow-ups
 * queue, the answers to mark and a customer's points ledger. The cursors are app/domain/cursor.ts's (instant, id)
 * cursors; one that cannot be read is the first page.
 */

/** Where a page starts: after the `nextCursor` of the page before it (older rows), or before the `previousCursor` of the page after it (newer rows). */
export interface TimeIdPageRequest {
  after?: string | null;
  before?: string | null;
  /** 1–100. */
  limit: number;
}

interface TimeIdKeyset {
  /** The condition on the row's position, or null for the first page. */
  where: Prisma.Sql | null;
  order: Prisma.Sql;
  backwards: boolean;
  /** A readable `after` cursor: this is not the first page. */
  afterCursor: boolean;
}

/** The keyset condition and order of one page over `alias."createdAt"`, `alias."id"`; going back reads upwards and is turned around by `timeIdPage`. */
export function timeIdKeyset(alias: Prisma.Sql, page: Pick<TimeIdPageRequest, "after" | "before">): TimeIdKeyset {
  const before = decodeTimeIdCursor(page.before);
  const after = before ? null : decodeTimeIdCursor(page.after);
  const createdAt = Prisma.sql`${alias}."createdAt"`;
  const id = Prisma.sql`${alias}."id"`;
  if (before) {
    return {
      where: Prisma.sql`(${createdAt}, ${id}) > (${before.at}::timestamptz, ${before.id}::int)`,
      order: Prisma.sql`${createdAt} ASC, ${id} ASC`,
      backwards: true,
      afterCursor: false,
    };
  }
  return {
    where: after ? Prisma.sql`(${createdAt}, ${id}) < (${after.at}::timestamptz, ${after.id}::int)` : null,
    order: Prisma.sql`${createdAt} DESC, ${id} DESC`,
    backwards: false,
    afterCursor: after !== null,
  };
}

/** The page size asked for, kept within 1–100. */
export const pageLimit = (limit: number) => Math.min(100, Math.max(1, Math.floor(limit)));

/** Cuts the `limit + 1` rows read with `keys` into a page (newest first) and its cursors. */
export function timeIdPage<T extends { createdAt: Date; id: number }>(read: T[], limit: number, keys: TimeIdKeyset): { rows: T[]; pageInfo: PageInfo } {
  // Read backwards (oldest first): the page turned around, the extra row (the next one back) stays last.
  const rows = keys.backwards ? [...read.slice(0, limit).reverse(), ...read.slice(limit)] : read;
  return keysetPage(rows, limit, { after: keys.afterCursor, before: keys.backwards }, (row) => encodeTimeIdCursor({ at: row.createdAt, id: row.id }));
}
