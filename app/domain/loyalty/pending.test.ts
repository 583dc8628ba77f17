import { describe, expect, it } from "vitest";
import { pendingCap, pointsAvailableAt, type PendingOrderDates, type PendingWindow } from "./pending";

const at = (iso: string) => new Date(iso);
const placed = at("2026-03-03T15:00:00.000Z");
const cap60 = pendingCap(placed, 60);

describe("pendingCap", () => {
  it.each([
    { maxDays: 1, timeZone: "UTC", expected: "2026-03-05T00:00:00.000Z" },
    { maxDays: 60, timeZone: "UTC", expected: "2026-05-03T00:00:00.000Z" },
    // 15:00 UTC is 07:00 on 3 March in Los Angeles (PST, UTC−8); the 60th day after ends in PDT (UTC−7).
    { maxDays: 60, timeZone: "America/Los_Angeles", expected: "2026-05-03T07:00:00.000Z" },
    // 15:00 UTC is already 4 March in Tokyo (UTC+9): the days count from there.
    { maxDays: 1, timeZone: "Asia/Tokyo", expected: "2026-03-05T15:00:00.000Z" },
  ])("$maxDays days in $timeZone → $expected", ({ maxDays, timeZone, expected }) => {
    expect(pendingCap(placed, maxDays, timeZone).toISOString()).toBe(expected);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses a longest wait of %s days", (maxDays) => {
    expect(() => pendingCap(placed, maxDays)).toThrow(RangeError);
  });
});

describe("pointsAvailableAt", () => {
  const unshipped: PendingOrderDates = { placedAt: placed, fulfilledAt: null, deliveredAt: null };
  const shipped: PendingOrderDates = { placedAt: placed, fulfilledAt: at("2026-03-05T09:00:00.000Z"), deliveredAt: null };
  const delivered: PendingOrderDates = { ...shipped, deliveredAt: at("2026-03-09T18:30:00.000Z") };
  const window = (windowStart: "order" | "fulfillment" | "delivery", windowDays: number | null): PendingWindow => ({ windowStart, windowDays });

  it.each<{ name: string; order: PendingOrderDates; window: PendingWindow; expected: string }>([
    { name: "no policy saved: the longest wait", order: delivered, window: null, expected: "2026-05-03T00:00:00.000Z" },
    { name: "no time limit: the longest wait", order: delivered, window: window("order", null), expected: "2026-05-03T00:00:00.000Z" },
    { name: "final sale: available when placed", order: unshipped, window: window("delivery", 0), expected: "2026-03-03T15:00:00.000Z" },
    { name: "30 days from the order", order: unshipped, window: window("order", 30), expected: "2026-04-03T00:00:00.000Z" },
    { name: "30 days from fulfilment, not shipped: the longest wait", order: unshipped, window: window("fulfillment", 30), expected: "2026-05-03T00:00:00.000Z" },
    { name: "30 days from fulfilment, shipped 5 March", order: shipped, window: window("fulfillment", 30), expected: "2026-04-05T00:00:00.000Z" },
    { name: "30 days from delivery, shipped not delivered: the longest wait", order: shipped, window: window("delivery", 30), expected: "2026-05-03T00:00:00.000Z" },
    { name: "30 days from delivery, delivered 9 March", order: delivered, window: window("delivery", 30), expected: "2026-04-09T00:00:00.000Z" },
    { name: "a window ending after the longest wait: the longest wait", order: delivered, window: window("delivery", 90), expected: "2026-05-03T00:00:00.000Z" },
    { name: "a window ending the day of the longest wait's end: the window", order: unshipped, window: window("order", 60), expected: "2026-05-03T00:00:00.000Z" },
    { name: "a window ending the day before it: the window", order: unshipped, window: window("order", 59), expected: "2026-05-02T00:00:00.000Z" },
  ])("$name", ({ order, window, expected }) => {
    expect(pointsAvailableAt(order, window, cap60).toISOString()).toBe(expected);
  });

  it("counts the window's days in the shop's time zone", () => {
    // Delivered 9 March 18:30 UTC = 10 March 03:30 in Tokyo: the 30 days run to the end of 9 April, Tokyo time.
    const tokyoCap = pendingCap(placed, 60, "Asia/Tokyo");
    expect(pointsAvailableAt(delivered, window("delivery", 30), tokyoCap, "Asia/Tokyo").toISOString()).toBe("2026-04-09T15:00:00.000Z");
  });
});

