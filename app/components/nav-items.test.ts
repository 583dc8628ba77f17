import { describe, expect, it } from "vitest";
import { NAV_ITEMS, navEntries, navText, type NavEntry } from "./nav-items";

describe("navEntries / navText", () => {
  it("puts the open follow-ups in the Follow-ups label only", () => {
    const entries = navEntries({ openFollowUps: 3 });
    expect(entries.map(navText)).toEqual(["Dashboard", "Survey", "Reports", "Loyalty", "Customers", "Returns", "Follow-ups (3)", "Shopify Flow", "Privacy"]);
    expect(entries.map((e) => e.to)).toEqual(NAV_ITEMS.map((i) => i.to));
  });

  it("shows no count at zero, and groups thousands", () => {
    const followUps = (entries: NavEntry[]) => entries.find((e) => e.to === "/app/followups")!;
    expect(navText(followUps(navEntries({ openFollowUps: 0 })))).toBe("Follow-ups");
    expect(navEntries({ openFollowUps: 0 }).every((e) => e.count === null)).toBe(true);
    expect(navText(followUps(navEntries({ openFollowUps: 1234 })))).toBe("Follow-ups (1,234)");
  });

  it("says how many open follow-ups are overdue, in words, only when some are", () => {
    const followUps = (entries: NavEntry[]) => entries.find((e) => e.to === "/app/followups")!;
    expect(navText(followUps(navEntries({ openFollowUps: 12, overdueFollowUps: 3 })))).toBe("Follow-ups (12 open, 3 overdue)");
    expect(navText(followUps(navEntries({ openFollowUps: 12, overdueFollowUps: 0 })))).toBe("Follow-ups (12)");
    expect(navText(followUps(navEntries({ openFollowUps: 2345, overdueFollowUps: 1234 })))).toBe("Follow-ups (2,345 open, 1,234 overdue)");
    expect(navEntries({ openFollowUps: 5, overdueFollowUps: 2 }).filter((e) => e.overdue !== null).map((e) => e.to)).toEqual(["/app/followups"]);
  });
});
