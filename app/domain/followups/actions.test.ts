import { describe, expect, it } from "vitest";
import { parseFollowUpAction } from "./actions";

describe("parseFollowUpAction: update", () => {
  it("reads status, owner and notes, trimming and turning empty text into null", () => {
    expect(parseFollowUpAction({ intent: "update", id: "12", status: "contacted", owner: "  Sam  ", notes: " Called.\r\nWill ship a new size. " })).toEqual({
      ok: true,
      action: { intent: "update", id: 12, status: "contacted", owner: "Sam", notes: "Called.\nWill ship a new size." },
    });
    expect(parseFollowUpAction({ intent: "update", id: "12", owner: "", notes: "   " })).toEqual({
      ok: true,
      action: { intent: "update", id: 12, owner: null, notes: null },
    });
  });

  it("leaves out what was not posted (unchanged), and needs at least one change", () => {
    expect(parseFollowUpAction({ intent: "update", id: "3", status: "resolved" })).toEqual({ ok: true, action: { intent: "update", id: 3, status: "resolved" } });
    expect(parseFollowUpAction({ intent: "update", id: "3" })).toEqual({ ok: false, errors: { form: "Nothing to change" } });
    // the owner alone, or the notes alone, is a change
    expect(parseFollowUpAction({ intent: "update", id: "3", owner: "Sam" })).toEqual({ ok: true, action: { intent: "update", id: 3, owner: "Sam" } });
    expect(parseFollowUpAction({ intent: "update", id: "3", notes: "Called back" })).toEqual({ ok: true, action: { intent: "update", id: 3, notes: "Called back" } });
  });

  it("gives one message per bad field", () => {
    expect(
      parseFollowUpAction({ intent: "update", id: "x1", status: "closed", owner: "o".repeat(101), notes: "n".repeat(2001) }),
    ).toEqual({
      ok: false,
      errors: {
        id: "Not a valid follow-up",
        status: "Choose open, contacted or resolved",
        owner: "Keep the owner to 100 characters",
        notes: "Keep the notes to 2,000 characters",
      },
    });
    expect(parseFollowUpAction({ intent: "update", id: "1", owner: "Sam\nBob" })).toEqual({ ok: false, errors: { owner: "Put the owner on one line" } });
    expect(parseFollowUpAction({ intent: "update", status: "open" })).toEqual({ ok: false, errors: { id: "Missing follow-up" } });
  });

  it("accepts the limits exactly, counting a CRLF line break as one character", () => {
    const notes = `${"n".repeat(999)}\r\n${"n".repeat(1000)}`;
    const parsed = parseFollowUpAction({ intent: "update", id: "1", owner: "o".repeat(100), notes });
    expect(parsed.ok).toBe(true);
    if (parsed.ok && parsed.action.intent === "update") expect(parsed.action.notes).toHaveLength(2000);
  });
});

describe("parseFollowUpAction: mark and unmark", () => {
  it("reads the answer id and the action", () => {
    expect(parseFollowUpAction({ intent: "mark", responseId: "40", action: "review-request" })).toEqual({
      ok: true,
      action: { intent: "mark", responseId: 40, action: "review-request" },
    });
    expect(parseFollowUpAction({ intent: "unmark", responseId: "40", action: "thank-you" })).toEqual({
      ok: true,
      action: { intent: "unmark", responseId: 40, action: "thank-you" },
    });
  });

  it("refuses an unknown action or a missing answer", () => {
    expect(parseFollowUpAction({ intent: "mark", responseId: "40", action: "recovery" })).toEqual({
      ok: false,
      errors: { action: "Choose thank-you or review request" },
    });
    expect(parseFollowUpAction({ intent: "mark", action: "thank-you" })).toEqual({ ok: false, errors: { responseId: "Missing answer" } });
  });

  it("refuses an unknown intent, and ignores values that are not text (uploaded files)", () => {
    expect(parseFollowUpAction({ intent: "delete", id: "1" })).toEqual({ ok: false, errors: { intent: "Unknown action" } });
    expect(parseFollowUpAction({})).toEqual({ ok: false, errors: { intent: "Unknown action" } });
    expect(parseFollowUpAction({ intent: "update", id: "1", notes: new Blob(["x"]) })).toEqual({ ok: false, errors: { form: "Nothing to change" } });
  });
});

describe("parseFollowUpAction: the fields, one by one", () => {
  const update = (fields: Record<string, unknown>) => parseFollowUpAction({ intent: "update", status: "open", ...fields });

  it.each<[string, number | null]>([
    // [id as posted, read as (null: refused)]
    [" 12 ", 12], // trimmed
    ["999999999999", 999999999999], // twelve digits
    ["1234567890123", null], // thirteen
    ["", null],
    ["12a", null],
    ["a12", null],
    ["-1", null],
  ])("id %j → %j", (id, expected) => {
    const parsed = update({ id });
    if (expected !== null) expect(parsed).toEqual({ ok: true, action: { intent: "update", id: expected, status: "open" } });
    else expect(parsed).toEqual({ ok: false, errors: { id: "Not a valid follow-up" } });
  });

  it.each([
    ["a lone CR in the notes is a line break too", { notes: "a\rb" }, { ok: true, action: { intent: "update", id: 1, status: "open", notes: "a\nb" } }],
    ["notes of exactly 2,000 characters", { notes: "n".repeat(2000) }, { ok: true, action: { intent: "update", id: 1, status: "open", notes: "n".repeat(2000) } }],
    ["an owner on two lines — CR", { owner: "Sam\rBob" }, { ok: false, errors: { owner: "Put the owner on one line" } }],
    ["an owner of 101 characters after trimming", { owner: ` ${"o".repeat(101)} ` }, { ok: false, errors: { owner: "Keep the owner to 100 characters" } }],
    ["an owner too long AND on two lines: the first message only", { owner: `${"o".repeat(101)}\n${"o"}` }, { ok: false, errors: { owner: "Keep the owner to 100 characters" } }],
    ["an owner with NUL — PostgreSQL text cannot store it", { owner: "Sam\u0000" }, { ok: false, errors: { owner: "Contains characters that are not valid text" } }],
    ["an owner with a lone surrogate", { owner: "Sam\ud800" }, { ok: false, errors: { owner: "Contains characters that are not valid text" } }],
    ["notes with NUL", { notes: "called\u0000" }, { ok: false, errors: { notes: "Contains characters that are not valid text" } }],
    ["notes with a lone surrogate", { notes: "\udc00called" }, { ok: false, errors: { notes: "Contains characters that are not valid text" } }],
    ["notes too long AND with NUL: the first message only", { notes: `${"n".repeat(2001)}\u0000` }, { ok: false, errors: { notes: "Keep the notes to 2,000 characters" } }],
  ])("%s", (_what, fields, expected) => {
    expect(update({ id: "1", ...fields })).toEqual(expected);
  });

  it("a mark needs a valid answer id too", () => {
    expect(parseFollowUpAction({ intent: "mark", responseId: "x", action: "thank-you" })).toEqual({ ok: false, errors: { responseId: "Not a valid answer" } });
    expect(parseFollowUpAction({ intent: "unmark", responseId: "7" })).toEqual({ ok: false, errors: { action: "Choose thank-you or review request" } });
  });

  it("an update needs its id, a mark its intent spelled exactly", () => {
    expect(parseFollowUpAction({ intent: "Update", id: "1", status: "open" })).toEqual({ ok: false, errors: { intent: "Unknown action" } });
    expect(parseFollowUpAction({ intent: "marked", responseId: "1", action: "thank-you" })).toEqual({ ok: false, errors: { intent: "Unknown action" } });
  });
});
