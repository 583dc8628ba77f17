import { describe, expect, it } from "vitest";
import { isEditable, SURVEY_EDIT_WINDOW_MS } from "./edit-window";

const FIRST = new Date("2026-10-01T10:00:00.000Z");
const HOUR = 3600_000;
const after = (ms: number) => new Date(FIRST.getTime() + ms);

describe("isEditable (the 24-hour edit window)", () => {
  it("is 24 hours, in milliseconds", () => {
    expect(SURVEY_EDIT_WINDOW_MS).toBe(86_400_000);
  });

  it.each([
    { when: "at the first answer", elapsed: 0, editable: true },
    { when: "a minute before the first answer (clock skew between instances)", elapsed: -60_000, editable: true },
    { when: "23 hours later", elapsed: 23 * HOUR, editable: true },
    { when: "24 h - 1 ms later", elapsed: 24 * HOUR - 1, editable: true },
    { when: "exactly 24 h later: no longer within 24 hours", elapsed: 24 * HOUR, editable: false },
    { when: "24 h + 1 ms later", elapsed: 24 * HOUR + 1, editable: false },
    { when: "a week later", elapsed: 7 * 24 * HOUR, editable: false },
  ])("GIVEN answers first given at T, WHEN asked $when, THEN editable is $editable", ({ elapsed, editable }) => {
    expect(isEditable(FIRST, after(elapsed))).toBe(editable);
  });
});
