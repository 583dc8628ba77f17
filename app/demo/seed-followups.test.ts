import { describe, expect, it } from "vitest";
import { parseFollowUpAction } from "~/domain/followups/actions";
import { DEMO_STAFF, planDemoFollowUpWork, type SeedFollowUp, type SeedPromoter } from "./seed-followups";

const now = new Date("2026-05-01T12:00:00.000Z");
const DAY = 86_400_000;
// 300 follow-ups spread over 200 days (one about every 16 hours), 120 promoters.
const followUps: SeedFollowUp[] = Array.from({ length: 300 }, (_, i) => ({
  id: i + 1,
  createdAt: new Date(now.getTime() - (i * 200 * DAY) / 300 - 30 * 60_000),
  customerId: i % 4 === 0 ? null : String(5000 + i),
}));
const promoters: SeedPromoter[] = Array.from({ length: 120 }, (_, i) => ({ responseId: 1000 + i, createdAt: new Date(now.getTime() - i * 9 * 3_600_000 - 3_600_000) }));
const plan = planDemoFollowUpWork(followUps, promoters, { now });

const updates = plan.flatMap((s) => (s.fields.intent === "update" ? [{ at: s.at, by: s.by, ...s.fields }] : []));
const notes = plan.flatMap((s) => (s.fields.intent === "note" ? [{ at: s.at, by: s.by, ...s.fields }] : []));
const goodwill = plan.flatMap((s) => (s.fields.intent === "goodwill" ? [{ at: s.at, by: s.by, ...s.fields }] : []));
const marks = plan.flatMap((s) => (s.fields.intent === "mark" ? [{ at: s.at, ...s.fields }] : []));
const finalStatus = (id: number) => updates.filter((u) => u.id === String(id) && u.status).at(-1)?.status ?? "open";

describe("planDemoFollowUpWork", () => {
  it("is deterministic: the same input gives the same plan; another seed differs", () => {
    expect(planDemoFollowUpWork(followUps, promoters, { now })).toEqual(plan);
    expect(planDemoFollowUpWork([...followUps].reverse(), promoters, { now })).toEqual(plan);
    expect(planDemoFollowUpWork(followUps, promoters, { now, seed: 1 })).not.toEqual(plan);
  });

  it("posts only actions the follow-ups page accepts, oldest first, each after what it acts on and before now", () => {
    const created = new Map(followUps.map((f) => [String(f.id), f.createdAt.getTime()]));
    const answered = new Map(promoters.map((p) => [String(p.responseId), p.createdAt.getTime()]));
    for (const step of plan) {
      expect(parseFollowUpAction(step.fields).ok).toBe(true);
      expect(step.at.getTime()).toBeLessThan(now.getTime());
      const since = step.fields.intent === "mark" ? answered.get(step.fields.responseId) : created.get(step.fields.id);
      expect(step.at.getTime()).toBeGreaterThan(since ?? Infinity);
    }
    expect(plan.map((s) => s.at.getTime())).toEqual(plan.map((s) => s.at.getTime()).sort((a, b) => a - b));
  });

  it("goes open → contacted → resolved, never skipping contact, always with an owner from the staff and a note by them", () => {
    const staff = DEMO_STAFF.map((s) => s.userId);
    for (const f of followUps) {
      const statuses = updates.filter((u) => u.id === String(f.id) && u.status).map((u) => u.status);
      expect([[], ["contacted"], ["contacted", "resolved"]]).toContainEqual(statuses);
      const contact = updates.find((u) => u.id === String(f.id) && u.status === "contacted");
      if (!contact) continue;
      expect(staff).toContain(contact.ownerUserId);
      expect(contact.by).toBe(contact.ownerUserId);
      expect(notes.filter((n) => n.id === String(f.id)).map((n) => n.by)).toEqual(Array(statuses.length).fill(contact.ownerUserId));
    }
  });

  it("gives goodwill points to some customers (never a guest) before resolving, once per follow-up", () => {
    const guests = new Set(followUps.filter((f) => f.customerId === null).map((f) => String(f.id)));
    expect(goodwill.length).toBeGreaterThan(10);
    expect(goodwill.every((g) => !guests.has(g.id) && ["50", "100", "150"].includes(g.points))).toBe(true);
    expect(new Set(goodwill.map((g) => g.key)).size).toBe(goodwill.length);
    for (const g of goodwill) {
      const resolved = updates.find((u) => u.id === g.id && u.status === "resolved")!;
      expect(g.at.getTime()).toBe(resolved.at.getTime());
    }
  });

  it("resolves most old follow-ups and leaves most recent ones open", () => {
    const old = followUps.filter((f) => now.getTime() - f.createdAt.getTime() > 7 * DAY);
    const recent = followUps.filter((f) => now.getTime() - f.createdAt.getTime() < DAY);
    const share = (list: SeedFollowUp[], status: string) => list.filter((f) => finalStatus(f.id) === status).length / list.length;
    expect(share(old, "resolved")).toBeGreaterThan(0.65);
    expect(share(old, "open")).toBeGreaterThan(0);
    expect(share(recent, "open")).toBeGreaterThan(0.5);
    expect(updates.some((u) => u.ownerUserId && !u.status)).toBe(true);
  });

  it("marks a few of the most recent promoters, each action at most once", () => {
    const recentIds = new Set(promoters.slice(0, 60).map((p) => String(p.responseId)));
    expect(marks.length).toBeGreaterThan(5);
    expect(marks.length).toBeLessThan(40);
    expect(marks.every((m) => recentIds.has(m.responseId))).toBe(true);
    expect(new Set(marks.map((m) => `${m.responseId}:${m.action}`)).size).toBe(marks.length);
    expect(new Set(marks.map((m) => m.action))).toEqual(new Set(["thank-you", "review-request"]));
  });
});
