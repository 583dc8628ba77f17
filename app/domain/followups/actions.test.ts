import { describe, expect, it } from "vitest";
import { INVALID_TEXT_MESSAGE } from "../text";
import { MAX_NOTES_LENGTH, parseFollowUpAction } from "./actions";

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

describe("parseFollowUpAction: the owner picked from the staff", () => {
  it("reads Shopify's user id, trimmed, and an empty choice clears the owner", () => {
    expect(parseFollowUpAction({ intent: "update", id: "7", ownerUserId: " 12345678901234567890 " })).toEqual({ ok: true, action: { intent: "update", id: 7, ownerUserId: "12345678901234567890" } });
    expect(parseFollowUpAction({ intent: "update", id: "7", ownerUserId: "" })).toEqual({ ok: true, action: { intent: "update", id: 7, ownerUserId: null } });
  });

  it("refuses anything but up to 20 digits", () => {
    for (const ownerUserId of ["123456789012345678901", "12a", "gid://shopify/StaffMember/1", "-1", "1 2"]) {
      expect(parseFollowUpAction({ intent: "update", id: "7", ownerUserId }), ownerUserId).toEqual({ ok: false, errors: { ownerUserId: "Choose a staff member from the list" } });
    }
  });
});

describe("parseFollowUpAction: a note", () => {
  it("reads the note with CRLF line breaks as one character each, trimmed", () => {
    expect(parseFollowUpAction({ intent: "note", id: "3", body: "  Called.\r\nLeft a message.\r " })).toEqual({ ok: true, action: { intent: "note", id: 3, body: "Called.\nLeft a message." } });
    const longest = `${"a".repeat(MAX_NOTES_LENGTH - 2)}\r\nb`;
    expect(parseFollowUpAction({ intent: "note", id: "3", body: longest })).toMatchObject({ ok: true, action: { body: `${"a".repeat(MAX_NOTES_LENGTH - 2)}\nb` } });
  });

  it("needs some text, at most 2,000 characters, that the database can store, and the follow-up's id", () => {
    expect(parseFollowUpAction({ intent: "note", id: "3", body: "  \r\n " })).toEqual({ ok: false, errors: { body: "Write the note first" } });
    expect(parseFollowUpAction({ intent: "note", id: "3" })).toEqual({ ok: false, errors: { body: "Required" } });
    expect(parseFollowUpAction({ intent: "note", id: "3", body: "a".repeat(MAX_NOTES_LENGTH + 1) })).toEqual({ ok: false, errors: { body: "Keep the notes to 2,000 characters" } });
    expect(parseFollowUpAction({ intent: "note", id: "3", body: "a\u0000b" })).toEqual({ ok: false, errors: { body: INVALID_TEXT_MESSAGE } });
    expect(parseFollowUpAction({ intent: "note", body: "Called" })).toEqual({ ok: false, errors: { id: "Missing follow-up" } });
  });
});

describe("parseFollowUpAction: goodwill", () => {
  const points = { intent: "goodwill", kind: "points", id: "5", points: "250", reason: "Late parcel", key: "form-key-0001" };
  const code = { intent: "goodwill", kind: "code", id: "5", rewardId: "9", reason: "Late parcel", key: "form-key-0001" };

  it("reads points with the reason (line breaks as LF, trimmed) and the form's key", () => {
    expect(parseFollowUpAction({ ...points, points: " 250 ", reason: " Late\r\nparcel " })).toEqual({
      ok: true,
      action: { intent: "goodwill", kind: "points", id: 5, points: 250, reason: "Late\nparcel", key: "form-key-0001" },
    });
  });

  it("reads a reward code with the reward's id", () => {
    expect(parseFollowUpAction(code)).toEqual({ ok: true, action: { intent: "goodwill", kind: "code", id: 5, rewardId: 9, reason: "Late parcel", key: "form-key-0001" } });
  });

  it("takes whole points from 1 to 100,000, not 0, 100,001, fractions or text", () => {
    expect(parseFollowUpAction({ ...points, points: "1" })).toMatchObject({ ok: true, action: { points: 1 } });
    expect(parseFollowUpAction({ ...points, points: "100000" })).toMatchObject({ ok: true, action: { points: 100_000 } });
    for (const value of ["0", "100001", "1000000", "1.5", "-3", "ten", ""]) {
      expect(parseFollowUpAction({ ...points, points: value }), value).toEqual({ ok: false, errors: { points: "Enter whole points from 1 to 100,000" } });
    }
    expect(parseFollowUpAction({ ...points, points: undefined })).toEqual({ ok: false, errors: { points: "Enter the points" } });
  });

  it("needs a reason of 3 to 200 characters the database can store", () => {
    expect(parseFollowUpAction({ ...points, reason: "abc" })).toMatchObject({ ok: true, action: { reason: "abc" } });
    expect(parseFollowUpAction({ ...points, reason: "r".repeat(200) })).toMatchObject({ ok: true });
    expect(parseFollowUpAction({ ...points, reason: " ab " })).toEqual({ ok: false, errors: { reason: "Give a reason (at least 3 characters)" } });
    expect(parseFollowUpAction({ ...points, reason: "r".repeat(201) })).toEqual({ ok: false, errors: { reason: "Keep the reason to 200 characters" } });
    expect(parseFollowUpAction({ ...points, reason: "ok\uD800ok" })).toEqual({ ok: false, errors: { reason: INVALID_TEXT_MESSAGE } });
    expect(parseFollowUpAction({ ...points, reason: undefined })).toEqual({ ok: false, errors: { reason: "Give a reason" } });
  });

  it("needs the form's key: 8 to 64 letters, digits or dashes", () => {
    expect(parseFollowUpAction({ ...points, key: "abcd-123" })).toMatchObject({ ok: true });
    expect(parseFollowUpAction({ ...points, key: "k".repeat(64) })).toMatchObject({ ok: true });
    for (const key of ["abc-123", "k".repeat(65), "form key 01", "form_key_01", "x-form-key-0001\n"]) {
      expect(parseFollowUpAction({ ...points, key }), key).toEqual({ ok: false, errors: { key: "Not a valid form key; reload the page" } });
    }
    expect(parseFollowUpAction({ ...points, key: undefined })).toEqual({ ok: false, errors: { key: "Missing form key; reload the page" } });
  });

  it("needs a reward for a code, and a kind it knows", () => {
    expect(parseFollowUpAction({ ...code, rewardId: "0" })).toEqual({ ok: false, errors: { rewardId: "Choose a reward" } });
    expect(parseFollowUpAction({ ...code, rewardId: "x" })).toEqual({ ok: false, errors: { rewardId: "Not a valid reward" } });
    expect(parseFollowUpAction({ ...code, rewardId: undefined })).toEqual({ ok: false, errors: { rewardId: "Missing reward" } });
    expect(parseFollowUpAction({ ...points, kind: "cash" })).toEqual({ ok: false, errors: { kind: "Choose points or a reward code" } });
  });
});

describe("parseFollowUpAction: the response-time target", () => {
  it("passes the posted text on (contact.ts reads the hours), and needs it posted", () => {
    expect(parseFollowUpAction({ intent: "settings", responseTargetHours: " 48 " })).toEqual({ ok: true, action: { intent: "settings", responseTargetHours: " 48 " } });
    expect(parseFollowUpAction({ intent: "settings" })).toEqual({ ok: false, errors: { responseTargetHours: "Enter the response-time target" } });
  });
});
