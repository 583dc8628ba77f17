import { readCursorParam } from "../cursor";
import { BANDED_TYPES, QUESTION_REGISTRY } from "./registry";
import type { ScoreBand, ScoreQuestion } from "./score-bands";

/**
 * The survey answers filters as they travel in the URL (`?question=nps&band=detractor&from=2026-10-01&to=2026-10-31`),
 * shared by the Survey page's answers list and the CSV export (and by the dashboard's links to the export). Days are
 * UTC calendar days written YYYY-MM-DD; both ends are inclusive. An empty value means "no filter" (that is what the
 * list's GET form sends for "All questions" / "Any score" / an empty date).
 *
 * Two readings of the same params: the page is lenient (`parseAnswerFilters` drops what it cannot read, so a stale
 * link still shows the list), the export is strict (`checkAnswerFilters` refuses with one reason per param, so a
 * download never silently contains something other than what was asked for).
 */
export interface AnswerFilters {
  question: ScoreQuestion | null;
  /** Only together with a question it belongs to. */
  band: ScoreBand | null;
  /** YYYY-MM-DD (UTC), inclusive. */
  from: string | null;
  to: string | null;
  /** The answers list's page cursor (opaque, app/domain/cursor.ts); the export ignores it. */
  cursor: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `value` when it is a real calendar day written YYYY-MM-DD ("2026-02-30" is not), else null. */
export function readDay(value: string | null | undefined): string | null {
  if (!value || !DAY.test(value)) return null;
  const date = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? value : null;
}

/** The questions the list filters by: the registry's types that have score bands. */
const isQuestion = (value: string | null): value is ScoreQuestion => (BANDED_TYPES as readonly (string | null)[]).includes(value);
const bandsOf = (question: ScoreQuestion): readonly ScoreBand[] => QUESTION_REGISTRY[question].bands ?? [];
const bandOfQuestion = (question: ScoreQuestion, value: string | null): value is ScoreBand => (bandsOf(question) as readonly (string | null)[]).includes(value);
const QUESTION_LIST = BANDED_TYPES.join(", ").replace(/, ([^,]*)$/, " or $1");

/** An empty param is the same as an absent one. */
const param = (params: URLSearchParams, name: string) => {
  const value = params.get(name);
  return value === null || value === "" ? null : value;
};

/** The list page's reading: anything it cannot read is ignored. */
export function parseAnswerFilters(params: URLSearchParams): AnswerFilters {
  const q = param(params, "question");
  const question = isQuestion(q) ? q : null;
  const b = param(params, "band");
  const band = question && bandOfQuestion(question, b) ? b : null;
  return {
    question,
    band,
    from: readDay(param(params, "from")),
    to: readDay(param(params, "to")),
    cursor: readCursorParam(params.get("cursor")),
  };
}

type CheckedAnswerFilters = { ok: true; filters: AnswerFilters } | { ok: false; errors: Record<string, string> };

const shown = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

/**
 * The export's reading: the same params, but a value that is present and unreadable is an error (keyed by param),
 * as is a band without its question, or `from` after `to`. Other params (auth, cursor, …) are not looked at.
 */
export function checkAnswerFilters(params: URLSearchParams): CheckedAnswerFilters {
  const errors: Record<string, string> = {};
  for (const name of ["question", "band", "from", "to"]) {
    if (params.getAll(name).length > 1) errors[name] = `Give ${name} at most once`;
  }
  const q = param(params, "question");
  if (q !== null && !isQuestion(q)) errors.question ??= `Unknown question ${shown(q)}; expected ${QUESTION_LIST}`;
  const question = isQuestion(q) ? q : null;

  const b = param(params, "band");
  if (b !== null) {
    if (question === null) errors.band ??= `A score band needs a question (${QUESTION_LIST})`;
    else if (!bandOfQuestion(question, b)) errors.band ??= `Unknown band ${shown(b)} for ${question}; expected ${bandsOf(question).join(", ")}`;
  }
  const band = question && bandOfQuestion(question, b) ? b : null;

  const days: Record<"from" | "to", string | null> = { from: null, to: null };
  for (const name of ["from", "to"] as const) {
    const raw = param(params, name);
    if (raw === null) continue;
    days[name] = readDay(raw);
    if (days[name] === null) errors[name] ??= `${shown(raw)} is not a day written YYYY-MM-DD`;
  }
  if (days.from && days.to && days.from > days.to) errors.to ??= `The end date ${days.to} is before the start date ${days.from}`;

  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, filters: { question, band, from: days.from, to: days.to, cursor: null } };
}

/** The filters' days as instants: `from` at 00:00:00.000 UTC, `to` at 23:59:59.999 UTC (inclusive). */
export function answerFilterBounds(filters: Pick<AnswerFilters, "from" | "to">): { from?: Date; to?: Date } {
  return {
    ...(filters.from ? { from: new Date(`${filters.from}T00:00:00.000Z`) } : {}),
    ...(filters.to ? { to: new Date(`${filters.to}T23:59:59.999Z`) } : {}),
  };
}
