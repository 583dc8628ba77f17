import { describe, expect, it } from "vitest";
import { displayZone, formatDate, formatDateTime, formatUtcDay, formatUtcMonth } from "./dates";

describe("formatDate: the day of an instant in the shop's time zone", () => {
  it.each([
    // 03:30 UTC on Dec 4 is still the evening of Dec 3 in New York (UTC−5) …
    ["2026-12-04T03:30:00Z", "America/New_York", "Dec 3, 2026"],
    // … and already Dec 4 in Tokyo (UTC+9) for 23:30 UTC on Dec 3.
    ["2026-12-03T23:30:00Z", "Asia/Tokyo", "Dec 4, 2026"],
    ["2026-12-03T23:30:00Z", "UTC", "Dec 3, 2026"],
    // A minute either side of Auckland's midnight (UTC+13 in December).
    ["2026-12-03T10:59:00Z", "Pacific/Auckland", "Dec 3, 2026"],
    ["2026-12-03T11:00:00Z", "Pacific/Auckland", "Dec 4, 2026"],
    // Half-hour zone: India is UTC+5:30.
    ["2026-12-03T18:29:00Z", "Asia/Kolkata", "Dec 3, 2026"],
    ["2026-12-03T18:30:00Z", "Asia/Kolkata", "Dec 4, 2026"],
  ])("%s in %s is %s", (iso, zone, expected) => {
    expect(formatDate(iso, zone)).toBe(expected);
  });

  it("takes a Date, a millisecond count or an ISO string alike", () => {
    const at = new Date("2026-07-01T12:00:00Z");
    expect(formatDate(at, "Europe/Paris")).toBe("Jul 1, 2026");
    expect(formatDate(at.getTime(), "Europe/Paris")).toBe("Jul 1, 2026");
    expect(formatDate(at.toISOString(), "Europe/Paris")).toBe("Jul 1, 2026");
  });

  it("shows a dash for no date or an unreadable one", () => {
    expect(formatDate(null, "UTC")).toBe("—");
    expect(formatDate(undefined, "UTC")).toBe("—");
    expect(formatDate("not a date", "UTC")).toBe("—");
  });
});

describe("formatDateTime: the shop's wall clock", () => {
  it("shows the shop-local date and time near midnight", () => {
    expect(formatDateTime("2026-12-04T04:59:00Z", "America/New_York")).toBe("Dec 3, 2026, 11:59 PM");
    expect(formatDateTime("2026-12-04T05:00:00Z", "America/New_York")).toBe("Dec 4, 2026, 12:00 AM");
  });

  it("follows daylight saving: New York springs forward on 8 March 2026 (02:00 EST → 03:00 EDT)", () => {
    expect(formatDateTime("2026-03-08T06:59:00Z", "America/New_York")).toBe("Mar 8, 2026, 1:59 AM");
    expect(formatDateTime("2026-03-08T07:00:00Z", "America/New_York")).toBe("Mar 8, 2026, 3:00 AM");
    // An hour after a summer midnight in New York is 04:00 UTC, not 05:00.
    expect(formatDate("2026-07-01T03:59:00Z", "America/New_York")).toBe("Jun 30, 2026");
    expect(formatDate("2026-07-01T04:00:00Z", "America/New_York")).toBe("Jul 1, 2026");
  });

  it("follows daylight saving back: 01:30 happens twice in New York on 1 November 2026", () => {
    expect(formatDateTime("2026-11-01T05:30:00Z", "America/New_York")).toBe("Nov 1, 2026, 1:30 AM");
    expect(formatDateTime("2026-11-01T06:30:00Z", "America/New_York")).toBe("Nov 1, 2026, 1:30 AM");
  });

  it("uses plain spaces only (server and browser ICU differ on the space before PM)", () => {
    expect(formatDateTime("2026-12-03T15:05:00Z", "Europe/London")).toMatch(/^Dec 3, 2026, 3:05 PM$/);
  });

  it("writes a shop's own zone, UTC included, without naming it", () => {
    expect(formatDateTime("2026-12-03T15:05:00Z", "UTC")).toBe("Dec 3, 2026, 3:05 PM");
    expect(formatDateTime("2026-12-03T15:05:00Z", null)).toBe("Dec 3, 2026, 3:05 PM");
  });

  it("shows a dash for no date", () => {
    expect(formatDateTime(null, "UTC")).toBe("—");
  });
});

describe("a time zone Intl does not know falls back to UTC, visibly", () => {
  it.each(["Mars/Olympus_Mons", "", "not a zone"])("%j", (zone) => {
    expect(displayZone(zone)).toEqual({ zone: "UTC", fallback: zone !== "" });
    expect(formatDateTime("2026-12-04T03:30:00Z", zone)).toBe(zone ? "Dec 4, 2026, 3:30 AM UTC" : "Dec 4, 2026, 3:30 AM");
  });

  it("says UTC after a fallback date, not after a shop's own zone", () => {
    expect(formatDate("2026-12-04T03:30:00Z", "Mars/Olympus_Mons")).toBe("Dec 4, 2026 UTC");
    expect(formatDate("2026-12-04T03:30:00Z", "America/New_York")).toBe("Dec 3, 2026");
  });

  it("keeps a known zone", () => {
    expect(displayZone("Europe/Berlin")).toEqual({ zone: "Europe/Berlin", fallback: false });
    expect(displayZone("UTC")).toEqual({ zone: "UTC", fallback: false });
    expect(displayZone(null)).toEqual({ zone: "UTC", fallback: false });
  });
});

describe("UTC rollup days and months (decision 025) are never moved into a zone", () => {
  it.each([
    ["2026-12-03", {}, "Dec 3, 2026"],
    ["2026-01-01", { year: false }, "Jan 1"],
    ["2026-12-31", { year: true }, "Dec 31, 2026"],
    ["2026-13-01", {}, "2026-13-01"],
    ["yesterday", {}, "yesterday"],
    // Only a whole YYYY-MM-DD is a rollup day: an instant, or text around a day, comes back as it came.
    ["2026-12-03T00:00:00Z", {}, "2026-12-03T00:00:00Z"],
    ["x2026-12-03", {}, "x2026-12-03"],
  ])("%s %j → %s", (day, options, expected) => {
    expect(formatUtcDay(day, options)).toBe(expected);
  });

  it.each([
    ["2026-12", {}, "Dec 2026"],
    ["2027-01", { year: false }, "Jan"],
    ["2027-00", {}, "2027-00"],
    ["2027", {}, "2027"],
    // Only a whole YYYY-MM is a rollup month: a day, or text around a month, comes back as it came.
    ["2026-12-03", {}, "2026-12-03"],
    ["x2026-12", {}, "x2026-12"],
  ])("%s %j → %s", (month, options, expected) => {
    expect(formatUtcMonth(month, options)).toBe(expected);
  });
});
