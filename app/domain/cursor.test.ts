import { describe, expect, it } from "vitest";
import {
  decodeCursorText,
  decodeJsonCursor,
  decodeTimeIdCursor,
  encodeCursorText,
  encodeJsonCursor,
  encodeTimeIdCursor,
  keysetPage,
  MAX_CURSOR_LENGTH,
  MAX_INT_ID,
  readCursorParam,
} from "./cursor";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");

describe("readCursorParam: what a list keeps from its URL", () => {
  it.each<[string | null | undefined, string | null]>([
    ["a".repeat(MAX_CURSOR_LENGTH), "a".repeat(MAX_CURSOR_LENGTH)], // the longest kept
    ["a".repeat(MAX_CURSOR_LENGTH + 1), null],
    ["AZaz09_-", "AZaz09_-"], // base64url's whole alphabet
    ["", null],
    [null, null],
    [undefined, null],
    ["!abc", null], // a bad character first…
    ["abc!", null], // …or last
    ["ab=c", null], // padding is not ours
    ["ab+/", null], // base64, not base64url
    ["a b", null],
    ["abc\n", null],
  ])("%j → %j", (value, expected) => {
    expect(readCursorParam(value)).toBe(expected);
  });
});

describe("cursor text", () => {
  it.each(["", "a", "ab", "abc", "1730000000000:42", "é ✓ 😀", '{"s":"spend","i":"7"}'])("round-trips %j, in base64url without padding", (text) => {
    const cursor = encodeCursorText(text);
    expect(cursor).toBe(b64(text));
    expect(decodeCursorText(cursor)).toBe(text === "" ? null : text); // an empty cursor is no cursor
  });

  it.each<[string, string | null | undefined]>([
    ["missing", null],
    ["empty", ""],
    ["one stray character — not base64 at all", "abcde"],
    ["padding", `${b64("ab")}=`],
    ["the base64 alphabet", "a+b/"],
    ["too long, though well formed", b64("x".repeat(151))],
    ["bytes that are not UTF-8", Buffer.from([0xff, 0xfe, 0x80]).toString("base64url")],
    ["a lone surrogate's bytes — CESU", Buffer.from([0xed, 0xa0, 0x80]).toString("base64url")],
  ])("reads %s as no cursor", (_what, cursor) => {
    expect(decodeCursorText(cursor)).toBeNull();
  });

  it("writes '-' and '_' where base64 has '+' and '/', and reads them back", () => {
    expect(encodeCursorText("?>>")).toBe("Pz4-");
    expect(encodeCursorText("???")).toBe("Pz8_");
    expect(decodeCursorText("Pz4-")).toBe("?>>");
    expect(decodeCursorText("Pz8_")).toBe("???");
  });

  it("keeps a UTF-8 byte order mark rather than dropping it silently", () => {
    expect(decodeCursorText(Buffer.from("\ufeffa").toString("base64url"))).toBe("\ufeffa");
  });
});

describe("JSON cursors", () => {
  it("round-trip a value", () => {
    const value = { s: "last-order", d: "asc", v: 8.64e15, i: "9007199254740993" };
    expect(decodeJsonCursor(encodeJsonCursor(value))).toEqual(value);
    expect(decodeJsonCursor(encodeJsonCursor(null))).toBeNull();
  });

  it.each([
    ["not JSON", b64("not json")],
    ["half a document", b64('{"s":')],
    ["not base64url", "not a cursor!"],
    ["too long", encodeJsonCursor("x".repeat(200))],
  ])("reads %s as undefined (no cursor)", (_what, cursor) => {
    expect(decodeJsonCursor(cursor)).toBeUndefined();
  });
});

describe("(instant, id) cursors", () => {
  it("round-trip a position, to the millisecond", () => {
    const position = { at: new Date("2026-11-22T12:34:56.789Z"), id: 42 };
    const cursor = encodeTimeIdCursor(position);
    expect(cursor).toBe(b64("1795350896789:42"));
    expect(decodeTimeIdCursor(cursor)).toEqual(position);
    expect(decodeTimeIdCursor(encodeTimeIdCursor({ at: new Date(0), id: 0 }))).toEqual({ at: new Date(0), id: 0 });
  });

  it("reads the largest instant and id the database compares", () => {
    expect(decodeTimeIdCursor(b64(`999999999999999:${MAX_INT_ID}`))).toEqual({ at: new Date(999999999999999), id: 2147483647 });
  });

  it.each<[string, string | null]>([
    ["missing", null],
    ["garbage", "not-a-cursor"],
    ["not base64url", "MTIzOjQ1!"],
    ["an id past integer — the database would refuse to compare it", b64(`0:${MAX_INT_ID + 1}`)],
    ["an id of eleven digits", b64("0:12345678901")],
    ["an instant of sixteen digits", b64("1234567890123456:1")],
    ["a negative instant", b64("-1:1")],
    ["a negative id", b64("1:-1")],
    ["a fraction", b64("1.5:1")],
    ["an exponent", b64("1e3:1")],
    ["no id", b64("123:")],
    ["no instant", b64(":45")],
    ["three parts", b64("1:2:3")],
    ["spaces", b64(" 1:2")],
    ["a trailing line break", b64("1:2\n")],
    ["another list's JSON", encodeJsonCursor([1730000000000, 4])],
    ["too long", b64(`${"0".repeat(140)}1:1`)],
  ])("reads %s as no cursor", (_what, cursor) => {
    expect(decodeTimeIdCursor(cursor)).toBeNull();
  });
});

describe("keysetPage", () => {
  const cursorOf = (row: number) => `c${row}`;
  const none = { after: false, before: false };
  const after = { after: true, before: false };
  const before = { after: false, before: true };

  it.each([
    // [what, rows read, direction, page, pageInfo]
    ["the first page of more", [9, 8, 7], none, [9, 8], { hasNext: true, hasPrevious: false, nextCursor: "c8", previousCursor: null }],
    ["the only page", [9, 8], none, [9, 8], { hasNext: false, hasPrevious: false, nextCursor: null, previousCursor: null }],
    ["an empty list", [], none, [], { hasNext: false, hasPrevious: false, nextCursor: null, previousCursor: null }],
    ["a middle page, read forwards", [7, 6, 5], after, [7, 6], { hasNext: true, hasPrevious: true, nextCursor: "c6", previousCursor: "c7" }],
    ["the last page, read forwards", [7], after, [7], { hasNext: false, hasPrevious: true, nextCursor: null, previousCursor: "c7" }],
    ["nothing after the cursor", [], after, [], { hasNext: false, hasPrevious: false, nextCursor: null, previousCursor: null }],
    ["a middle page, read backwards — the extra row is the next one back", [7, 6, 8], before, [7, 6], { hasNext: true, hasPrevious: true, nextCursor: "c6", previousCursor: "c7" }],
    ["the first page, read backwards", [9, 8], before, [9, 8], { hasNext: true, hasPrevious: false, nextCursor: "c8", previousCursor: null }],
    ["nothing before the cursor", [], before, [], { hasNext: false, hasPrevious: false, nextCursor: null, previousCursor: null }],
  ] as const)("%s", (_what, read, direction, rows, pageInfo) => {
    expect(keysetPage(read, 2, direction, cursorOf)).toEqual({ rows, pageInfo });
  });

  it("reads a page of one", () => {
    expect(keysetPage([5, 4], 1, after, cursorOf)).toEqual({ rows: [5], pageInfo: { hasNext: true, hasPrevious: true, nextCursor: "c5", previousCursor: "c5" } });
  });
});
