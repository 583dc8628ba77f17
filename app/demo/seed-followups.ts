import { mulberry32 } from "./random";

/**
 * Deterministic work on the demo shop's follow-up queue: pure (no I/O, no clock, no Math.random), so the same
 * follow-ups and promoters always give the same plan. The seed's unhappy answers open recovery follow-ups on their
 * own (through the survey service); this plan then has staff work a realistic share of them — older ones mostly
 * resolved, recent ones mostly still open — with owners and notes, and marks a few recent promoters for a
 * thank-you or a review request. prepare.server.ts carries the plan out through the follow-ups service.
 */

export interface SeedFollowUp {
  id: number;
  createdAt: Date;
}

export interface SeedPromoter {
  responseId: number;
  createdAt: Date;
}

/** One posted action, as the follow-ups page would send it, at the time staff would have done it. */
type SeedFollowUpAction =
  | { at: Date; fields: { intent: "update"; id: string; status?: string; owner?: string; notes?: string } }
  | { at: Date; fields: { intent: "mark"; responseId: string; action: "thank-you" | "review-request" } };

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

const DEMO_OWNERS = ["Sam Rivera", "Priya Natarajan", "Jonas Weber", "Mei Chen"] as const;

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
    const owner = pick(r[1] ?? 0, DEMO_OWNERS);

    if (outcome === "open") {
      // Some open follow-ups already have someone assigned.
      if ((r[2] ?? 1) < 0.25) actions.push({ at: latest(createdMs + HOUR + (r[3] ?? 0) * 6 * HOUR), fields: { intent: "update", id, owner } });
      continue;
    }
    const contactMs = latest(createdMs + 2 * HOUR + (r[3] ?? 0) * 30 * HOUR).getTime();
    const contactNote = pick(r[4] ?? 0, CONTACT_NOTES);
    actions.push({ at: new Date(contactMs), fields: { intent: "update", id, status: "contacted", owner, notes: contactNote } });
    if (outcome === "resolved") {
      const resolveMs = latest(contactMs + HOUR + (r[5] ?? 0) * 72 * HOUR).getTime();
      if (resolveMs <= contactMs) continue;
      const notes = `${contactNote}\n${pick(r[6] ?? 0, RESOLVE_NOTES)}`;
      actions.push({ at: new Date(resolveMs), fields: { intent: "update", id, status: "resolved", notes } });
    }
  }

  const recent = [...promoters].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.responseId - a.responseId).slice(0, recentPromoters);
  for (const promoter of recent) {
    const r = Array.from({ length: 3 }, rng);
    const at = latest(promoter.createdAt.getTime() + HOUR + (r[2] ?? 0) * 48 * HOUR);
    if (at.getTime() <= promoter.createdAt.getTime()) continue;
    const responseId = String(promoter.responseId);
    if ((r[0] ?? 1) < 0.2) actions.push({ at, fields: { intent: "mark", responseId, action: "review-request" } });
    if ((r[1] ?? 1) < 0.12) actions.push({ at, fields: { intent: "mark", responseId, action: "thank-you" } });
  }
  return actions.sort((a, b) => a.at.getTime() - b.at.getTime());
}
