import { describe, expect, it } from "vitest";
import { parseFollowUpAction } from "~/domain/followups/actions";
import { planDemoFollowUpWork, type SeedFollowUp, type SeedPromoter } from "./seed-followups";

const now = new Date("2026-05-01T12:00:00.000Z");
const DAY = 86_400_000;
// 300 follow-ups spread over 200 days (one about every 16 hours), 120 promoters.
const followUps: SeedFollowUp[] = Array.from({ length: 300 }, (_, i) => ({ id: i + 1, createdAt: new Date(now.getTime() - (i * 200 * DAY) / 300 - 30 * 60_000) }));
const promoters: SeedPromoter[] = Array.from({ length: 120 }, (_, i) => ({ responseId: 1000 + i, createdAt: new Date(now.getTime() - i * 9 * 3_600_000 - 3_600_000) }));
const plan = planDemoFollowUpWork(followUps, promoters, { now });

const updates = plan.flatMap((s) => (s.fields.intent === "update" ? [{ at: s.at, ...s.fields }] : []));
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
      const since = step.fields.intent === "update" ? created.get(step.fields.id) : answered.get(step.fields.responseId);
      expect(step.at.getTime()).toBeGreaterThan(since ?? Infinity);
    }
    expect(plan.map((s) => s.at.getTime())).toEqual(plan.map((s) => s.at.getTime()).sort((a, b) => a - b));
  });

  it("goes open → contacted → resolved, never skipping contact, and always with an owner and notes", () => {
    for (const f of followUps) {
      const statuses = updates.filter((u) => u.id === String(f.id) && u.status).map((u) => u.status);
      expect([[], ["contacted"], ["contacted", "resolved"]]).toContainEqual(statuses);
      const contact = updates.find((u) => u.id === String(f.id) && u.status === "contacted");
      if (contact) expect(contact).toMatchObject({ owner: expect.any(String), notes: expect.any(String) });
    }
  });

  it("resolves most old follow-ups and leaves most recent ones open", () => {
    const old = followUps.filter((f) => now.getTime() - f.createdAt.getTime() > 7 * DAY);
    const recent = followUps.filter((f) => now.getTime() - f.createdAt.getTime() < DAY);
    const share = (list: SeedFollowUp[], status: string) => list.filter((f) => finalStatus(f.id) === status).length / list.length;
    expect(share(old, "resolved")).toBeGreaterThan(0.65);
    expect(share(old, "open")).toBeGreaterThan(0);
    expect(share(recent, "open")).toBeGreaterThan(0.5);
    expect(updates.some((u) => u.owner && !u.status)).toBe(true);
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
