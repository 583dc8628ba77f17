/**
 * The dashboard's date range: a preset (last 7 / 30 / 90 days, last 12 months) or a custom pair of days, read
 * from the URL (`?range=30d` or `?from=2026-01-01&to=2026-01-31`), always with the previous period of the same
 * length to compare with. Days are UTC calendar days; `to` is inclusive in the URL and exclusive in the range.
 */
const RANGE_PRESETS = ["7d", "30d", "90d", "12m"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
const DEFAULT_PRESET: RangePreset = "30d";
const DAY = 24 * 60 * 60 * 1000;
const MAX_CUSTOM_DAYS = 3 * 366;

export interface DateRange {
  preset: RangePreset | "custom";
  from: Date;
  /** Exclusive. */
  to: Date;
  previousFrom: Date;
  previousTo: Date;
}

type RangeResult = { ok: true; range: DateRange } | { ok: false; error: string; range: DateRange };

const startOfUtcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

function withPrevious(preset: DateRange["preset"], from: Date, to: Date): DateRange {
  const length = to.getTime() - from.getTime();
  return { preset, from, to, previousFrom: new Date(from.getTime() - length), previousTo: from };
}

/** A preset ending with today (inclusive). */
export function presetRange(preset: RangePreset, now: Date): DateRange {
  const to = new Date(startOfUtcDay(now).getTime() + DAY);
  const days = preset === "7d" ? 7 : preset === "30d" ? 30 : preset === "90d" ? 90 : 365;
  return withPrevious(preset, new Date(to.getTime() - days * DAY), to);
}

function parseDay(value: string | null): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : date;
}

/** Reads the range from search params; anything invalid falls back to the default preset with a reason. */
export function parseDateRange(params: URLSearchParams, now: Date): RangeResult {
  const fallback = presetRange(DEFAULT_PRESET, now);
  const fromParam = params.get("from");
  const toParam = params.get("to");
  if (fromParam || toParam) {
    const from = parseDay(fromParam);
    const toDay = parseDay(toParam);
    if (!from || !toDay) return { ok: false, error: "Dates must be real days written YYYY-MM-DD", range: fallback };
    if (toDay < from) return { ok: false, error: "The end date is before the start date", range: fallback };
    const to = new Date(toDay.getTime() + DAY);
    if ((to.getTime() - from.getTime()) / DAY > MAX_CUSTOM_DAYS) return { ok: false, error: "Choose at most three years", range: fallback };
    return { ok: true, range: withPrevious("custom", from, to) };
  }
  const preset = params.get("range");
  if (preset === null) return { ok: true, range: fallback };
  if (!(RANGE_PRESETS as readonly string[]).includes(preset)) return { ok: false, error: `Unknown range ${preset.slice(0, 20)}`, range: fallback };
  return { ok: true, range: presetRange(preset as RangePreset, now) };
}

/** What a page shows of a parsed range: days as YYYY-MM-DD with `to` inclusive again, and the reason it was refused. */
export function rangeView(parsed: RangeResult) {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const { range } = parsed;
  return {
    preset: range.preset,
    from: day(range.from),
    to: day(new Date(range.to.getTime() - DAY)),
    previousFrom: day(range.previousFrom),
    previousTo: day(new Date(range.previousTo.getTime() - DAY)),
    error: parsed.ok ? null : parsed.error,
  };
}

/** Weekly buckets up to ~100 days, monthly beyond. */
export function trendGranularity(range: DateRange): "week" | "month" {
  return range.to.getTime() - range.from.getTime() <= 100 * DAY ? "week" : "month";
}

interface TrendBucket {
  /** The key the SQL bucket expressions give: the week's index from `from` ("0", "1", …) or "YYYY-MM". */
  key: string;
  /** First day of the bucket, YYYY-MM-DD for weeks, YYYY-MM for months. */
  label: string;
  start: Date;
}

/** Every bucket of the range, in order: 7-day weeks counted from `from`, or the calendar months (UTC) it touches. */
export function trendBuckets(range: Pick<DateRange, "from" | "to">, granularity: "week" | "month"): TrendBucket[] {
  const buckets: TrendBucket[] = [];
  if (granularity === "week") {
    for (let i = 0, t = range.from.getTime(); t < range.to.getTime(); i++, t += 7 * DAY) {
      const start = new Date(t);
      buckets.push({ key: String(i), label: start.toISOString().slice(0, 10), start });
    }
    return buckets;
  }
  const cursor = new Date(Date.UTC(range.from.getUTCFullYear(), range.from.getUTCMonth(), 1));
  while (cursor < range.to) {
    const key = cursor.toISOString().slice(0, 7);
    buckets.push({ key, label: key, start: new Date(cursor) });
    cursor.setUTCMonth(cursor.getUTCMonth() + 1);
  }
  return buckets;
}
