import type { AdminContext } from "~/shopify/admin-context.server";
import { errorName, log } from "~/logger.server";
import { listStaffMembers, recordStaffVisit, findStaffMember, type StaffMemberRow } from "~/models/staff.server";

/**
 * The shop's staff the app knows (decisions 044 and 049): everyone who opened the app, by the session token's user id,
 * with the names Shopify gave for them with their online access token (`AdminContext.staff`, from the
 * token exchange's `associated_user`). Owners of follow-ups are picked from them.
 */

/** A visit refreshes `lastSeenAt` at most this often (names are written whenever they change). */
const VISIT_REFRESH_MS = 6 * 60 * 60 * 1000;

/**
 * Shopify's user ids are digits: from the session token's `sub` ("12345" or a GID), exact as text (the library holds
 * the online session's user id as a JS number; the online session was loaded by this same `sub`).
 */
function userIdOf(context: Pick<AdminContext, "userId">): string | null {
  const raw = context.userId;
  const digits = raw ? /^(?:gid:\/\/shopify\/StaffMember\/)?(\d{1,20})$/.exec(raw)?.[1] : undefined;
  return digits ?? null;
}

const short = (text: string | null | undefined, max: number) => (text ? text.trim().slice(0, max) || null : null);

/**
 * Records the staff member of an admin request. Never fails the page: a failed write is logged (without the name)
 * and the page loads as usual.
 */
export async function noteStaffVisit(context: Pick<AdminContext, "shop" | "staff" | "userId">, now = new Date()): Promise<void> {
  const userId = userIdOf(context);
  if (!userId) return;
  const user = context.staff;
  const staff: StaffMemberRow = { userId, firstName: short(user?.firstName, 100), lastName: short(user?.lastName, 100) };
  try {
    await recordStaffVisit(context.shop, staff, now, VISIT_REFRESH_MS);
  } catch (error) {
    log.warn("staff visit not recorded", { shop: context.shop, error: errorName(error) });
  }
}

/** How staff are named: first and last name, else "Staff member <id>". */
function staffName(staff: StaffMemberRow): string {
  return [staff.firstName, staff.lastName].filter(Boolean).join(" ").trim() || `Staff member ${staff.userId}`;
}

/** The owner picker's options: the shop's staff by name. */
export async function staffOptions(shop: string): Promise<{ userId: string; name: string }[]> {
  return (await listStaffMembers(shop)).map((s) => ({ userId: s.userId, name: staffName(s) }));
}

/** Staff member `userId` of `shop` with their name; null when this shop has no such staff member. */
export async function shopStaffMember(shop: string, userId: string): Promise<{ userId: string; name: string } | null> {
  const staff = await findStaffMember(shop, userId);
  return staff && { userId: staff.userId, name: staffName(staff) };
}

/** Who is acting, as stored on notes and goodwill: their user id and name (null when the request carries no user). */
export async function actingStaff(context: Pick<AdminContext, "shop" | "userId">): Promise<{ userId: string | null; name: string | null }> {
  const userId = userIdOf(context);
  if (!userId) return { userId: null, name: null };
  const known = await shopStaffMember(context.shop, userId);
  return { userId, name: known?.name ?? `Staff member ${userId}` };
}
