import { describe, expect, it } from "vitest";
import { formatTimeLeft, importProgress } from "./import-progress";

const T = new Date("2026-12-03T10:00:00.000Z");
const after = (seconds: number) => new Date(T.getTime() + seconds * 1000);

describe("importProgress", () => {
  it("before the export's total is known: the count alone", () => {
    expect(importProgress({ done: 0, total: null, applyingSince: null, doneAtStart: 0, now: T })).toEqual({
      done: 0,
      total: null,
      percent: null,
      perSecond: null,
      secondsLeft: null,
    });
  });

  it("share done, rate since applying started, and time left at that rate", () => {
    expect(importProgress({ done: 2_500, total: 10_000, applyingSince: T, doneAtStart: 0, now: after(5) })).toEqual({
      done: 2_500,
      total: 10_000,
      percent: 25,
      perSecond: 500,
      secondsLeft: 15,
    });
  });

  it("a resumed run's rate counts only what it applied itself", () => {
    const view = importProgress({ done: 6_000, total: 10_000, applyingSince: T, doneAtStart: 5_000, now: after(10) });
    expect(view).toMatchObject({ percent: 60, perSecond: 100, secondsLeft: 40 });
  });

  it("no rate in the first second or before an order was applied; an empty export is complete", () => {
    expect(importProgress({ done: 10, total: 100, applyingSince: T, doneAtStart: 0, now: after(0.5) })).toMatchObject({ perSecond: null, secondsLeft: null, percent: 10 });
    expect(importProgress({ done: 7, total: 100, applyingSince: T, doneAtStart: 7, now: after(30) })).toMatchObject({ perSecond: null, secondsLeft: null });
    expect(importProgress({ done: 0, total: 0, applyingSince: T, doneAtStart: 0, now: after(3) })).toMatchObject({ percent: 100 });
  });

  it("a rate from the first whole second; no time left without a total; a total it cannot use is unknown", () => {
    expect(importProgress({ done: 50, total: 100, applyingSince: T, doneAtStart: 0, now: after(1) })).toMatchObject({ perSecond: 50, secondsLeft: 1 });
    expect(importProgress({ done: 50, total: null, applyingSince: T, doneAtStart: 0, now: after(5) })).toMatchObject({ perSecond: 10, secondsLeft: null, percent: null });
    expect(importProgress({ done: 50, total: -1, applyingSince: T, doneAtStart: 0, now: after(5) })).toMatchObject({ total: null, percent: null, secondsLeft: null });
  });

  it("never shows more than 100 % or a negative time (orders updated during the export)", () => {
    expect(importProgress({ done: 120, total: 100, applyingSince: T, doneAtStart: 0, now: after(2) })).toMatchObject({ percent: 100, secondsLeft: 0 });
    // Rounded down: 99.9 % is not done.
    expect(importProgress({ done: 999, total: 1000, applyingSince: null, doneAtStart: 0, now: T }).percent).toBe(99);
  });
});

describe("formatTimeLeft", () => {
  it("seconds, minutes, hours", () => {
    expect(formatTimeLeft(0)).toBe("about 1 s left");
    expect(formatTimeLeft(45)).toBe("about 45 s left");
    expect(formatTimeLeft(60)).toBe("about 1 min left");
    expect(formatTimeLeft(89)).toBe("about 1 min left");
    expect(formatTimeLeft(3_540)).toBe("about 59 min left");
    expect(formatTimeLeft(3_600)).toBe("about 1 h left");
    expect(formatTimeLeft(7_500)).toBe("about 2 h 5 min left");
  });
});
