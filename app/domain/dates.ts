/**
 * The one date and time format of the admin pages, in the shop's IANA time zone (issue 20).
 *
 * - `formatDate(at, zone)`: "Dec 3, 2026": the calendar day of an instant in the shop's time zone.
 * - `formatDateTime(at, zone)`: "Dec 3, 2026, 4:05 PM": the same with the shop's wall-clock time.
 * - `formatUtcDay("2026-12-03")` / `formatUtcMonth("2026-12")`: labels for rollup days and months, which are UTC days
 *   (decision 025), never shifted into the shop's zone; pages say "UTC days" where they show them.
 *
 * Every format names its zone explicitly, so the server's render and the browser's agree (no hydration mismatch), and
 * is assembled from Intl's parts with plain spaces (ICU versions differ on the space before "PM"). A zone Intl does not
 * know falls back to UTC, and the text then says "UTC" so the fallback is visible rather than silently wrong.
 * Pure: no Remix, no React; the time zone comes from the shop's display profile (services/shop-profile.server.ts).
 */

type DateInput = string | number | Date;

const FALLBACK_ZONE = "UTC";
const EMPTY = "—";

const dateFormats = new Map<string, Intl.DateTimeFormat | null>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** The formatter for calendar days in `zone`, or null when Intl does not know the zone. */
function dateFormat(zone: string): Intl.DateTimeFormat | null {
  if (!dateFormats.has(zone)) {
    let format: Intl.DateTimeFormat | null;
    try {
      format = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "short", day: "numeric" });
    } catch {
      format = null;
    }
    dateFormats.set(zone, format);
  }
  return dateFormats.get(zone) ?? null;
}

function timeFormat(zone: string): Intl.DateTimeFormat {
  let format = timeFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", minute: "2-digit", hour12: true });
    timeFormats.set(zone, format);
  }
  return format;
}

/** The zone dates are shown in: the shop's when Intl knows it, else UTC (`fallback` says so). */
export function displayZone(timezone: string | null | undefined): { zone: string; fallback: boolean } {
  if (timezone && dateFormat(timezone)) return { zone: timezone, fallback: false };
  return { zone: FALLBACK_ZONE, fallback: Boolean(timezone) && timezone !== FALLBACK_ZONE };
}

function instant(at: DateInput): number | null {
  const ms = at instanceof Date ? at.getTime() : typeof at === "number" ? at : Date.parse(at);
  return Number.isFinite(ms) ? ms : null;
}

function parts(format: Intl.DateTimeFormat, ms: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of format.formatToParts(ms)) if (part.type !== "literal") out[part.type] = part.value;
  return out;
}

function dayText(ms: number, zone: string): string {
  const { month = "", day = "", year = "" } = parts(dateFormat(zone)!, ms);
  return `${month} ${day}, ${year}`;
}

/** "Dec 3, 2026": the day of `at` in the shop's time zone; "—" for no date; "Dec 3, 2026 UTC" when the zone is unknown. */
export function formatDate(at: DateInput | null | undefined, timezone: string | null | undefined): string {
  const ms = at === null || at === undefined ? null : instant(at);
  if (ms === null) return EMPTY;
  const { zone, fallback } = displayZone(timezone);
  return fallback ? `${dayText(ms, zone)} UTC` : dayText(ms, zone);
}

/** "Dec 3, 2026, 4:05 PM": the shop's wall-clock date and time of `at`; "… UTC" when the zone is unknown. */
export function formatDateTime(at: DateInput | null | undefined, timezone: string | null | undefined): string {
  const ms = at === null || at === undefined ? null : instant(at);
  if (ms === null) return EMPTY;
  const { zone, fallback } = displayZone(timezone);
  const { hour = "", minute = "", dayPeriod = "" } = parts(timeFormat(zone), ms);
  const text = `${dayText(ms, zone)}, ${hour}:${minute} ${dayPeriod.toUpperCase()}`;
  return fallback ? `${text} UTC` : text;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/**
 * A rollup day ("2026-12-03", a UTC day: decision 025) as "Dec 3, 2026", or "Dec 3" with `{ year: false }` (chart
 * axes). Read as a calendar day, never through a time zone. Anything else is returned as it came.
 */
export function formatUtcDay(day: string, options: { year?: boolean } = {}): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const month = match ? MONTHS[Number(match[2]) - 1] : undefined;
  if (!match || !month) return day;
  const short = `${month} ${Number(match[3])}`;
  return options.year === false ? short : `${short}, ${match[1]}`;
}

/** A rollup month ("2026-12") as "Dec 2026", or "Dec" with `{ year: false }`. Anything else is returned as it came. */
export function formatUtcMonth(month: string, options: { year?: boolean } = {}): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const name = match ? MONTHS[Number(match[2]) - 1] : undefined;
  if (!match || !name) return month;
  return options.year === false ? name : `${name} ${match[1]}`;
}
