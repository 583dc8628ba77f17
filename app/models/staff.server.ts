import { prisma, readSql } from "~/db.server";

/**
 * The only Prisma code for StaffMember (decisions 044 and 049): the shop's staff who opened the app, by Shopify's user
 * id, with the names their online session carried (no e-mail). Every function takes `shop` first and scopes its
 * statement by it.
 */

export interface StaffMemberRow {
  userId: string;
  firstName: string | null;
  lastName: string | null;
}

/**
 * Records a visit of staff member `userId`: inserted once; names follow the newest session that carries them (a
 * session without them keeps the stored ones). The `WHERE` writes nothing when nothing changed and the last visit is
 * recent, so a page load costs one statement that usually changes no row.
 */
export async function recordStaffVisit(shop: string, staff: StaffMemberRow, now: Date, refreshAfterMs: number): Promise<void> {
  const staleBefore = new Date(now.getTime() - refreshAfterMs);
  await prisma.$executeRaw`
    INSERT INTO "StaffMember" ("shop", "userId", "firstName", "lastName", "firstSeenAt", "lastSeenAt")
    VALUES (${shop}, ${staff.userId}, ${staff.firstName}, ${staff.lastName}, ${now}, ${now})
    ON CONFLICT ("shop", "userId") DO UPDATE SET
      "firstName" = COALESCE(excluded."firstName", "StaffMember"."firstName"),
      "lastName" = COALESCE(excluded."lastName", "StaffMember"."lastName"),
      "lastSeenAt" = excluded."lastSeenAt"
    WHERE "StaffMember"."lastSeenAt" < ${staleBefore}
      OR "StaffMember"."firstName" IS DISTINCT FROM COALESCE(excluded."firstName", "StaffMember"."firstName")
      OR "StaffMember"."lastName" IS DISTINCT FROM COALESCE(excluded."lastName", "StaffMember"."lastName")`;
}

/** The shop's staff the app knows, by name (primary key (shop, userId)); a shop has a handful. */
export async function listStaffMembers(shop: string): Promise<StaffMemberRow[]> {
  return readSql().$queryRaw<StaffMemberRow[]>`
    SELECT "userId", "firstName", "lastName" FROM "StaffMember" WHERE "shop" = ${shop}
    ORDER BY lower(COALESCE("firstName", '') || ' ' || COALESCE("lastName", '')), "userId" LIMIT 500`;
}

/** One staff member of `shop`; null for an id this shop's staff never had (another shop's staff included). */
export async function findStaffMember(shop: string, userId: string): Promise<StaffMemberRow | null> {
  return prisma.staffMember.findUnique({ where: { shop_userId: { shop, userId } }, select: { userId: true, firstName: true, lastName: true } });
}
