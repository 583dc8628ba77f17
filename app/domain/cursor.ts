/**
 * Keyset-pagination cursors, the one encoding every list uses (follow-ups, marked answers, survey answers, privacy
 * requests, customers). A cursor is opaque to the browser: base64url (no padding) of UTF-8 text, at most
 * MAX_CURSOR_LENGTH characters. Lists hand it out in `nextCursor` / `previousCursor` and read it back from their URL;
 * nothing stores one, so the text inside may change between releases (an old link reads as the first page).
 *
 * Reading never throws: a cursor that is missing, too long, not canonical base64url, not UTF-8, or whose text is not
 * the expected shape reads as null, which every list treats as "no cursor" (the first page).
 */

/** Where a page of a keyset list stands: whether there are pages after and before it, and the cursors to reach them. */
export interface PageInfo {
  hasNext: boolean;
  hasPrevious: boolean;
  nextCursor: string | null;
  previousCursor: string | null;
}

/** The longest cursor a list reads; a longer one is no cursor. */
export const MAX_CURSOR_LENGTH = 200;

/** Canonical unpadded base64url: its alphabet only, and never a length that leaves one stray character. */
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A cursor parameter as it comes from a URL: kept when it could be a cursor (1–MAX_CURSOR_LENGTH characters of
 * base64url's alphabet), else null. What the position inside is, the list decides when it decodes it.
 */
export function readCursorParam(value: string | null | undefined): string | null {
  return typeof value === "string" && value.length <= MAX_CURSOR_LENGTH && BASE64URL.test(value) ? value : null;
}

/** `text` as a cursor: base64url of its UTF-8 bytes, without padding. */
export function encodeCursorText(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=/g, "");
}

/** The text inside a cursor, or null when it is not one (see the module comment). */
export function decodeCursorText(cursor: string | null | undefined): string | null {
  if (readCursorParam(cursor) === null) return null;
  try {
    // atob refuses a length that leaves one stray character (not base64 at all).
    const binary = atob(cursor!.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** A JSON value as a cursor (for positions with several typed parts, e.g. a sort value and a text id). */
export function encodeJsonCursor(value: unknown): string {
  return encodeCursorText(JSON.stringify(value));
}

/** The JSON value inside a cursor, or undefined when it is not one; the caller checks its shape. */
export function decodeJsonCursor(cursor: string | null | undefined): unknown {
  const text = decodeCursorText(cursor);
  if (text !== null) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // not JSON: no cursor
    }
  }
  return undefined;
}

/** Which way a page was read: after a cursor (the next page), before one (the previous page), or neither (the first). */
interface KeysetDirection {
  after: boolean;
  before: boolean;
}

/**
 * A page of a keyset list and its PageInfo, from the rows read for it: at most `limit + 1`, the page's rows in the
 * order shown, then the one row past `limit` if it was read, which only says there is more in the direction read.
 * Read forwards (after a cursor, or from the top), more means a next page, and a previous page exists after a
 * cursor; read backwards (before a cursor), more means a previous page, and the next page is the one the cursor came
 * from. An empty page has neither (a list whose rows went away starts again from the top).
 */
export function keysetPage<T>(read: readonly T[], limit: number, direction: KeysetDirection, cursorOf: (row: T) => string): { rows: T[]; pageInfo: PageInfo } {
  const more = read.length > limit;
  const rows = read.slice(0, limit);
  const first = rows[0];
  const last = rows[rows.length - 1];
  const nextCursor = last !== undefined && (direction.before || more) ? cursorOf(last) : null;
  const previousCursor = first !== undefined && (direction.before ? more : direction.after) ? cursorOf(first) : null;
  return { rows, pageInfo: { hasNext: nextCursor !== null, hasPrevious: previousCursor !== null, nextCursor, previousCursor } };
}

// ---------------------------------------------------------------------------------------------------------------
// (instant, id): the position of a row in a list ordered by a timestamp and an integer id, newest first

/** A row's place in a (timestamp, id) order: its instant (to the millisecond) and its `Int` id. */
export interface TimeIdPosition {
  at: Date;
  id: number;
}

/** The largest PostgreSQL `integer`: ids are `Int` columns, compared as `::int`. */
export const MAX_INT_ID = 2 ** 31 - 1;

/** An opaque cursor for a (timestamp, id) position: the text "<epoch ms>:<id>". */
export function encodeTimeIdCursor(position: TimeIdPosition): string {
  return encodeCursorText(`${position.at.getTime()}:${position.id}`);
}

/**
 * The position in a (timestamp, id) cursor, or null when it is not one. Both parts are plain digits: the instant at
 * most 15 digits (any such is a valid Date, well inside `timestamptz`), the id at most MAX_INT_ID, so a decoded
 * position can always be compared by the database.
 */
export function decodeTimeIdCursor(cursor: string | null | undefined): TimeIdPosition | null {
  const match = /^(\d{1,15}):(\d{1,10})$/.exec(decodeCursorText(cursor) ?? "");
  if (!match) return null;
  const id = Number(match[2]);
  if (id > MAX_INT_ID) return null;
  return { at: new Date(Number(match[1])), id };
}
