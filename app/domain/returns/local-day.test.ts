import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { endOfLocalDay, isKnownTimeZone, localDay } from "./local-day";

const day = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;
const iso = (date: Date) => date.toISOString();

describe("localDay", () => {
  it.each([
    ["2026-03-04T18:00:00Z", "UTC", "2026-03-04"],
    ["2026-03-04T18:00:00Z", "Asia/Tokyo", "2026-03-05"],
    ["2026-03-05T07:30:00Z", "America/Los_Angeles", "2026-03-04"],
    ["2026-03-01T20:00:00Z", "Asia/Kolkata", "2026-03-02"],
    ["2026-03-01T09:59:59.999Z", "Pacific/Kiritimati", "2026-03-01"],
    ["2026-03-01T10:00:00Z", "Pacific/Kiritimati", "2026-03-02"],
    ["1969-12-31T23:59:59.999Z", "UTC", "1969-12-31"],
  ])("%s in %s is %s", (instant, zone, date) => {
    expect(localDay(new Date(instant), zone)).toBe(day(date));
  });

  it("refuses an unknown time zone with Intl's RangeError", () => {
    expect(() => localDay(new Date(), "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});

describe("endOfLocalDay", () => {
  it.each([
    ["2026-04-03", "UTC", "2026-04-03T23:59:59.999Z"],
    ["2026-04-04", "Asia/Tokyo", "2026-04-04T14:59:59.999Z"],
    ["2026-03-03", "Asia/Kolkata", "2026-03-03T18:29:59.999Z"],
    ["2026-03-03", "Pacific/Kiritimati", "2026-03-03T09:59:59.999Z"],
    // New York springs forward on 8 March: a 23-hour day, and EDT (-4) afterwards.
    ["2026-03-08", "America/New_York", "2026-03-09T03:59:59.999Z"],
    ["2026-03-07", "America/New_York", "2026-03-08T04:59:59.999Z"],
    // Berlin falls back on 25 October: a 25-hour day, and CET (+1) afterwards.
    ["2026-10-25", "Europe/Berlin", "2026-10-25T22:59:59.999Z"],
    ["2026-10-24", "Europe/Berlin", "2026-10-24T21:59:59.999Z"],
    // Santiago jumps from 24:00 to 01:00 on 6 September: 5 September ends at the jump.
    ["2026-09-05", "America/Santiago", "2026-09-06T03:59:59.999Z"],
    // Havana jumps from 00:00 to 01:00 on 8 March, and on 1 November goes back from 01:00 to 00:00 (midnight twice).
    ["2026-03-07", "America/Havana", "2026-03-08T04:59:59.999Z"],
    ["2026-10-31", "America/Havana", "2026-11-01T03:59:59.999Z"],
    // São Paulo, February 2018: at midnight the clocks went back to 23:00, so 17 February ended twice; the later counts.
    ["2018-02-17", "America/Sao_Paulo", "2018-02-18T02:59:59.999Z"],
    // Samoa skipped 30 December 2011 (from -10 to +14): 29 December ended at the jump.
    ["2011-12-29", "Pacific/Apia", "2011-12-30T09:59:59.999Z"],
    // Toronto, 30 March 1919: the clocks jumped from 23:30 to 00:30 (EST to EDT), over midnight but not from it:
    // the 31st began at the jump, 04:30 UTC, between the two candidate midnights (04:00 and 05:00 UTC).
    ["1919-03-30", "America/Toronto", "1919-03-31T04:29:59.999Z"],
    ["1919-03-30", "America/Nassau", "1919-03-31T04:29:59.999Z"],
  ])("%s in %s ends at %s", (date, zone, end) => {
    expect(iso(endOfLocalDay(day(date), zone))).toBe(end);
  });

  it("is the last millisecond of the day, in any zone, at any instant", () => {
    const zones = ["UTC", "America/New_York", "Europe/Berlin", "America/Santiago", "America/Havana", "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "Pacific/Apia", "Africa/Casablanca"];
    const instant = fc.integer({ min: Date.parse("1995-01-01T00:00:00Z"), max: Date.parse("2040-01-01T00:00:00Z") });
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), (ms, zone) => {
        const at = new Date(ms);
        const today = localDay(at, zone);
        const end = endOfLocalDay(today, zone);
        expect(end.getTime()).toBeGreaterThanOrEqual(ms);
        expect(localDay(end, zone)).toBe(today);
        // The next day (or the one after, where a day was skipped: Apia, 30 December 2011).
        expect(localDay(new Date(end.getTime() + 1), zone)).toBeGreaterThan(today);
        // A day lasts at most 25 hours (Lord Howe moves by 30 minutes, Apia skipped a whole day in 2011).
        expect(end.getTime() - ms).toBeLessThan(25 * 3_600_000);
      }),
      { numRuns: 500 },
    );
  });
});

describe("isKnownTimeZone", () => {
  it.each([
    ["UTC", true],
    ["America/Santiago", true],
    ["Asia/Kolkata", true],
    ["Mars/Olympus_Mons", false],
    ["", false],
    ["UTC+25", false],
  ])("%s: %s", (zone, known) => {
    expect(isKnownTimeZone(zone)).toBe(known);
    // Asked again (a known zone's formatter is kept): the same answer.
    expect(isKnownTimeZone(zone)).toBe(known);
  });
});
