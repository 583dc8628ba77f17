/**
 * Calendar days in an IANA time zone, with Intl only (no date library). A day is numbered like Date.UTC counts
 * them: days since 1970-01-01 in that zone's wall-clock calendar. An unknown time zone throws Intl's RangeError.
 *
 * The end of a local day is the last millisecond before the next local day begins. Around a daylight-saving change
 * a day is 23 or 25 hours long, and where the clocks jump over midnight (America/Santiago, America/Havana…) the next
 * day begins at 01:00; both are handled by asking Intl, not by adding 24 hours.
 */
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/**
 * The wall-clock time at instant `ms` in `timeZone`, to the second, as milliseconds of a UTC date with the same
 * fields. The milliseconds are left out: days begin on whole seconds, so they never change which day a time is on,
 * and every offset is read at a whole second. (The separators' "literal" parts land in `fields` too, unread.)
 */
function wallClock(ms: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) fields[part.type] = Number(part.value);
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** The zone's offset from UTC at instant `ms`, in milliseconds (east positive). */
function offsetAt(ms: number, timeZone: string): number {
  return wallClock(ms, timeZone) - ms;
}

/** Whether Intl knows `timeZone` (its formatter is kept for the day arithmetic below, so a known zone is checked once). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local calendar day of an instant. */
export function localDay(at: Date, timeZone: string): number {
  return Math.floor(wallClock(at.getTime(), timeZone) / DAY_MS);
}

/** The first instant of local day `day`. */
function startOfLocalDay(day: number, timeZone: string): number {
  const midnight = day * DAY_MS; // local midnight, read as if it were UTC
  // The instant is midnight - offset, and offsets lie within -12 h … +14 h: sample the offsets in force there.
  const offsets = new Set([offsetAt(midnight - 14 * HOUR_MS, timeZone), offsetAt(midnight + 12 * HOUR_MS, timeZone)]);
  const candidates = [...offsets].map((offset) => midnight - offset);
  const exact = candidates.filter((at) => wallClock(at, timeZone) === midnight);
  // Midnight happens once, or twice when clocks fall back from 01:00 to 00:00: the day starts at the first.
  if (exact.length > 0) return Math.min(...exact);
  // The clocks jumped over midnight: the day starts at the jump, between the two candidates.
  let before = Math.min(...candidates);
  let after = Math.max(...candidates);
  while (after - before > 1) {
    const mid = Math.floor((before + after) / 2);
    if (Math.floor(wallClock(mid, timeZone) / DAY_MS) >= day) after = mid;
    else before = mid;
  }
  return after;
}

/** The last millisecond of local day `day`. */
export function endOfLocalDay(day: number, timeZone: string): Date {
  return new Date(startOfLocalDay(day + 1, timeZone) - 1);
}
