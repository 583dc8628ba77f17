import { describe, expect, it } from "vitest";
import { STATUS_TRANSITIONS } from "~/domain/followups/rules";
import { flowOutcomeText, formatAge, STATUS_ACTIONS } from "./format";

const NOW = "2026-11-20T12:00:00.000Z";
const ago = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("formatAge", () => {
  it.each([
    [0, "just now"],
    [59_999, "just now"],
    [MIN, "1 minute"],
    [59 * MIN, "59 minutes"],
    [HOUR, "1 hour"],
    [23 * HOUR + 59 * MIN, "23 hours"],
    [DAY, "1 day"],
    [13 * DAY, "13 days"],
    [14 * DAY, "2 weeks"],
    [59 * DAY, "8 weeks"],
    [60 * DAY, "2 months"],
    [364 * DAY, "12 months"],
    [365 * DAY, "1 year"],
    [800 * DAY, "2 years"],
  ])("%i ms ago → %s", (ms, expected) => {
    expect(formatAge(ago(ms), NOW)).toBe(expected);
  });

  it("says just now for a date in the future or an unreadable one", () => {
    expect(formatAge("2026-11-21T00:00:00Z", NOW)).toBe("just now");
    expect(formatAge("not a date", NOW)).toBe("just now");
  });
});

describe("STATUS_ACTIONS", () => {
  it("offers exactly the transitions the domain allows", () => {
    for (const [from, allowed] of Object.entries(STATUS_TRANSITIONS)) {
      expect((STATUS_ACTIONS[from] ?? []).map((a) => a.to).sort()).toEqual([...allowed].sort());
    }
  });
});

describe("flowOutcomeText", () => {
  it("says a mark's trigger was withdrawn when the customer's data was erased before it went out", () => {
    expect(flowOutcomeText("withdrawn", "thank-you")).toBe("Not sent to Shopify Flow's “Thank-you requested”: the customer's data was erased at their request before it went out.");
    expect(flowOutcomeText("sent", "review-request")).toBe("Sent to Shopify Flow's “Review requested”: your workflow does the asking.");
  });
});
