import type { AdminContext } from "~/shopify/admin-context.server";
import { errorName, log } from "~/logger.server";
import { listStaffMembers, recordStaffVisit, findStaffMember, type StaffMemberRow } from "~/models/staff.server";

/**
 * The shop's staff the app knows (decision 044): everyone who opened the app, by the session token's user id, with
 * the name and e-mail Shopify gave for them when the session is an online one (token exchange for an online access
 * token puts the user in `onlineAccessInfo.associated_user`). Owners of follow-ups are picked from them.
 */

/** A visit refreshes `lastSeenAt` at most this often (names and e-mail are written whenever they change). */
const VISIT_REFRESH_MS = 6 * 60 * 60 * 1000;

/** Shopify's user ids are digits: from the token's `sub` ("12345" or a GID) or the online session's user. */
function userIdOf(context: Pick<AdminContext, "session" | "userId">): string | null {
  const user = context.session.onlineAccessInfo?.associated_user;
  const raw = user?.id !== undefined ? String(user.id) : context.userId;
  const digits = raw ? /^(?:gid:\/\/shopify\/StaffMember\/)?(\d{1,20})$/.exec(raw)?.[1] : undefined;
  return digits ?? null;
}

const short = (text: string | null | undefined, max: number) => (text ? text.trim().slice(0, max) || null : null);

/**
 * Records the staff member of an admin request. Never fails the page: a failed write is logged (without the name)
 * and the page loads as usual.
 */
export async function noteStaffVisit(context: Pick<AdminContext, "shop" | "session" | "userId">, now = new Date()): Promise<void> {
  const userId = userIdOf(context);
  if (!userId) return;
  const user = context.session.onlineAccessInfo?.associated_user;
  const staff: StaffMemberRow = { userId, firstName: short(user?.first_name, 100), lastName: short(user?.last_name, 100), email: short(user?.email, 254) };
  try {
    await recordStaffVisit(context.shop, staff, now, VISIT_REFRESH_MS);
  } catch (error) {
    log.warn("staff visit not recorded", { shop: context.shop, error: errorName(error) });
  }
}

/** How staff are named: first and last name, else e-mail, else "Staff member <id>". */
function staffName(staff: StaffMemberRow): string {
  return [staff.firstName, staff.lastName].filter(Boolean).join(" ").trim() || staff.email || `Staff member ${staff.userId}`;
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
export async function actingStaff(context: Pick<AdminContext, "shop" | "session" | "userId">): Promise<{ userId: string | null; name: string | null }> {
  const userId = userIdOf(context);
  if (!userId) return { userId: null, name: null };
  const known = await shopStaffMember(context.shop, userId);
  return { userId, name: known?.name ?? `Staff member ${userId}` };
}
