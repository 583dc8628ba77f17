import { mulberry32 } from "./random";

/**
 * Deterministic work on the demo shop's follow-up queue: pure (no I/O, no clock, no Math.random), so the same
 * follow-ups and promoters always give the same plan. The seed's unhappy answers open recovery follow-ups on their
 * own (through the survey service); this plan then has staff work a realistic share of them — older ones mostly
 * resolved, recent ones mostly still open (many past the 24-hour target: overdue) — with owners picked from the demo
 * staff, notes by their authors and goodwill points for some customers, and marks a few recent promoters for a
 * thank-you or a review request. prepare.server.ts carries the plan out through the follow-ups service.
 */

export interface SeedFollowUp {
  id: number;
  createdAt: Date;
  /** The answer's customer (null for a guest order): only a customer can be given goodwill. */
  customerId: string | null;
}

export interface SeedPromoter {
  responseId: number;
  createdAt: Date;
}

/** One posted action, as the follow-ups page would send it, at the time staff member `by` (a user id) would have done it. */
type SeedFollowUpAction = { at: Date; by: string } & (
  | { fields: { intent: "update"; id: string; status?: string; ownerUserId?: string } }
  | { fields: { intent: "note"; id: string; body: string } }
  | { fields: { intent: "goodwill"; kind: "points"; id: string; points: string; reason: string; key: string } }
  | { fields: { intent: "mark"; responseId: string; action: "thank-you" | "review-request" } }
);

interface SeedFollowUpOptions {
  now: Date;
  seed?: number;
  /** How many of the most recent promoters may be marked (default 60). */
  recentPromoters?: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function pick<T>(r: number, items: readonly T[]): T {
  const item = items[Math.min(items.length - 1, Math.floor(r * items.length))];
  if (item === undefined) throw new Error("cannot pick from an empty list");
  return item;
}

/**
 * The demo shop's staff who have opened the app (decision 044), as their online sessions named them; the first is the
 * demo's signed-in user (DEMO_STAFF_USER_ID). Owners are picked from them.
 */
export const DEMO_STAFF = [
  { userId: "1001", firstName: "Sam", lastName: "Rivera" },
  { userId: "1002", firstName: "Priya", lastName: "Natarajan" },
  { userId: "1003", firstName: "Jonas", lastName: "Weber" },
  { userId: "1004", firstName: "Mei", lastName: "Chen" },
] as const;

const GOODWILL_REASONS = ["Sorry for the late parcel", "For the trouble with the exchange", "Thanks for your patience"] as const;

const CONTACT_NOTES = [
  "Emailed an apology and asked for a photo of the item.",
  "Called and left a voicemail; will try again tomorrow.",
  "Offered a free exchange for the right size.",
  "Replied to their comment; waiting to hear back.",
  "Sent tracking details and an apology for the delay.",
] as const;

const RESOLVE_NOTES = [
  "Replacement shipped; they thanked us.",
  "Refund issued for the damaged item.",
  "Sent a 15% discount code for the next order.",
  "Exchange arrived; happy now.",
  "Explained the delay; they were fine with it.",
] as const;

/** Shares of [open, contacted, resolved] by how old the follow-up is. */
function outcomeShares(ageMs: number): [number, number, number] {
  if (ageMs < DAY) return [0.8, 0.2, 0];
  if (ageMs < 7 * DAY) return [0.35, 0.35, 0.3];
  return [0.08, 0.12, 0.8];
}

/** The staff actions for the demo queue, oldest first; every one dated after what it acts on and before `now`. */
export function planDemoFollowUpWork(
  followUps: readonly SeedFollowUp[],
  promoters: readonly SeedPromoter[],
  options: SeedFollowUpOptions,
): SeedFollowUpAction[] {
  const { now, seed = 20_261_122, recentPromoters = 60 } = options;
  const nowMs = now.getTime();
  const rng = mulberry32(seed);
  const actions: SeedFollowUpAction[] = [];
  const latest = (ms: number) => new Date(Math.min(ms, nowMs - MINUTE));

  for (const followUp of [...followUps].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id)) {
    // Draw the same number of values for every follow-up so one's fate does not shift the others'.
    const r = Array.from({ length: 8 }, rng);
    const createdMs = followUp.createdAt.getTime();
    const ageMs = nowMs - createdMs;
    if (ageMs < 10 * MINUTE) continue;
    const [openShare, contactedShare] = outcomeShares(ageMs);
    const x = r[0] ?? 0;
    const outcome = x < openShare ? "open" : x < openShare + contactedShare ? "contacted" : "resolved";
    const id = String(followUp.id);
    const owner = pick(r[1] ?? 0, DEMO_STAFF).userId;

    if (outcome === "open") {
      // Some open follow-ups already have someone assigned (by the demo's signed-in user).
      if ((r[2] ?? 1) < 0.25) actions.push({ at: latest(createdMs + HOUR + (r[3] ?? 0) * 6 * HOUR), by: DEMO_STAFF[0].userId, fields: { intent: "update", id, ownerUserId: owner } });
      continue;
    }
    const contactMs = latest(createdMs + 2 * HOUR + (r[3] ?? 0) * 30 * HOUR).getTime();
    actions.push({ at: new Date(contactMs), by: owner, fields: { intent: "update", id, status: "contacted", ownerUserId: owner } });
    actions.push({ at: new Date(contactMs), by: owner, fields: { intent: "note", id, body: pick(r[4] ?? 0, CONTACT_NOTES) } });
    if (outcome === "resolved") {
      const resolveMs = latest(contactMs + HOUR + (r[5] ?? 0) * 72 * HOUR).getTime();
      if (resolveMs <= contactMs) continue;
      // About a quarter of the customers are given goodwill points before the follow-up is resolved.
      if (followUp.customerId && (r[7] ?? 1) < 0.25) {
        const points = String(50 * (1 + Math.floor((r[6] ?? 0) * 3)));
        const reason = pick(r[2] ?? 0, GOODWILL_REASONS);
        actions.push({ at: new Date(resolveMs), by: owner, fields: { intent: "goodwill", kind: "points", id, points, reason, key: `demo-goodwill-${id}` } });
      }
      actions.push({ at: new Date(resolveMs), by: owner, fields: { intent: "note", id, body: pick(r[6] ?? 0, RESOLVE_NOTES) } });
      actions.push({ at: new Date(resolveMs), by: owner, fields: { intent: "update", id, status: "resolved" } });
    }
  }

  const recent = [...promoters].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.responseId - a.responseId).slice(0, recentPromoters);
  for (const promoter of recent) {
    const r = Array.from({ length: 3 }, rng);
    const at = latest(promoter.createdAt.getTime() + HOUR + (r[2] ?? 0) * 48 * HOUR);
    if (at.getTime() <= promoter.createdAt.getTime()) continue;
    const responseId = String(promoter.responseId);
    const by = DEMO_STAFF[0].userId;
    if ((r[0] ?? 1) < 0.2) actions.push({ at, by, fields: { intent: "mark", responseId, action: "review-request" } });
    if ((r[1] ?? 1) < 0.12) actions.push({ at, by, fields: { intent: "mark", responseId, action: "thank-you" } });
  }
  return actions.sort((a, b) => a.at.getTime() - b.at.getTime());
}
