/**
 * CX scores from answer counts (the counting is done in SQL; these functions only do arithmetic on the totals). The
 * score bands counted are app/domain/survey/score-bands.ts's.
 *
 * - NPS = % promoters (9–10) − % detractors (0–6), a whole number from −100 to 100, rounded half away from zero.
 * - CSAT = share of 4–5 answers on the 1–5 scale, in percent.
 * - CES = mean of the 1–7 scale, and the share answering 5 or more.
 * - Response rate = orders with an answer / orders in the period.
 *
 * Each figure carries its sample size and a 95 % margin of error, and says when the sample is too small to trust.
 */

/** Below this many answers a figure is shown, but flagged as not to be trusted. */
export const MIN_TRUSTED_SAMPLE = 30;
const Z95 = 1.96;

interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface Figure {
  /** The value as shown (NPS: whole number; percentages: one decimal; CES: one decimal), or null without data. */
  value: number | null;
  /** How many answers (or orders, for the response rate) the value is based on. */
  count: number;
  /** Half-width of the 95 % confidence interval, in the value's own unit; null without data. */
  margin: number | null;
  /** True when there is data but fewer than MIN_TRUSTED_SAMPLE answers. */
  tooSmall: boolean;
}

export interface NpsFigure extends Figure {
  /** Shares of the answers, in percent with one decimal; they describe the split bar. */
  split: { promoters: number; passives: number; detractors: number } | null;
  counts: NpsCounts;
}

/** Rounds numerator / denominator to a whole number, halves away from zero, without floating-point drift. */
export function roundRatio(numerator: number, denominator: number): number {
  if (denominator <= 0) throw new RangeError("denominator must be positive");
  const sign = numerator < 0 ? -1 : 1;
  const abs = Math.abs(numerator);
  const rounded = Math.floor((2 * abs + denominator) / (2 * denominator));
  return rounded === 0 ? 0 : sign * rounded;
}

/** numerator / denominator as a percentage with one decimal, halves away from zero. */
export function percent1(numerator: number, denominator: number): number {
  return roundRatio(numerator * 1000, denominator) / 10;
}

function oneDecimal(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x) * 10) / 10;
}

function blank(count: number): Figure {
  return { value: null, count, margin: null, tooSmall: false };
}

/** For a figure with data: every caller has already returned `blank` for a count of 0. */
function tooSmall(count: number): boolean {
  return count < MIN_TRUSTED_SAMPLE;
}

function assertCounts(...values: number[]) {
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`counts must be non-negative integers, got ${v}`);
  }
}

/**
 * NPS with its margin of error. The variance of a promoter (+1) / passive (0) / detractor (−1) score is
 * p + d − (p − d)², so the 95 % margin is 1.96 · √(that / n), times 100 for NPS points.
 */
export function npsFigure(counts: NpsCounts): NpsFigure {
  const { promoters, passives, detractors } = counts;
  assertCounts(promoters, passives, detractors);
  const n = promoters + passives + detractors;
  if (n === 0) return { ...blank(0), split: null, counts };
  const p = promoters / n;
  const d = detractors / n;
  const variance = Math.max(0, p + d - (p - d) ** 2);
  return {
    value: roundRatio(100 * (promoters - detractors), n),
    count: n,
    margin: oneDecimal(100 * Z95 * Math.sqrt(variance / n)),
    tooSmall: tooSmall(n),
    split: { promoters: percent1(promoters, n), passives: percent1(passives, n), detractors: percent1(detractors, n) },
    counts,
  };
}

/**
 * A share in percent with the Wilson score interval's half-width (in percentage points). Wilson rather than the
 * normal approximation: it stays inside 0–100 % and is honest for small samples and shares near 0 or 100 %.
 */
export function shareFigure(hits: number, n: number): Figure {
  assertCounts(hits, n);
  if (hits > n) throw new RangeError("hits cannot exceed the sample");
  if (n === 0) return blank(0);
  const p = hits / n;
  const z2 = Z95 * Z95;
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { value: percent1(hits, n), count: n, margin: oneDecimal(100 * half), tooSmall: tooSmall(n) };
}

/** CSAT: the share of 4–5 answers. */
export function csatFigure(satisfied: number, answers: number): Figure {
  return shareFigure(satisfied, answers);
}

interface CesCounts {
  answers: number;
  /** Sum of the 1–7 scores. */
  sum: number;
  /** Sum of the squared scores, for the standard deviation. */
  sumOfSquares: number;
  /** Answers of 5, 6 or 7. */
  easy: number;
}

/**
 * CES: the mean score (one decimal) with a 95 % margin from the sample standard deviation (normal approximation;
 * below MIN_TRUSTED_SAMPLE the figure is flagged anyway), and the share answering 5 or more.
 */
export function cesFigure(counts: CesCounts): Figure & { easyShare: Figure } {
  const { answers: n, sum, sumOfSquares, easy } = counts;
  assertCounts(n, sum, sumOfSquares, easy);
  if (n === 0) return { ...blank(0), easyShare: blank(0) };
  const mean = sum / n;
  // One answer has no spread to measure: no margin. Two decimals: on a 1–7 scale a margin of 0.04 is meaningful.
  const margin = (sampleVariance: number) => Math.round(Z95 * Math.sqrt(sampleVariance / n) * 100) / 100;
  return {
    value: oneDecimal(mean),
    count: n,
    margin: n > 1 ? margin(Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1))) : null,
    tooSmall: tooSmall(n),
    easyShare: shareFigure(easy, n),
  };
}

/** Response rate: orders with an answer / orders in the period (percent, Wilson margin). */
export function responseRateFigure(answeredOrders: number, orders: number): Figure {
  // No orders: shareFigure gives the blank figure.
  return shareFigure(Math.min(answeredOrders, orders), orders);
}

/** Change from the previous period, for the delta arrows; null when either side has no value. */
export function delta(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null) return null;
  return oneDecimal(current - previous);
}
