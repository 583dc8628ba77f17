/**
 * The score bands of the survey's rating questions, the one table every reader of scores uses: the answers list
 * and the CSV export (their band filter and column), the follow-up queue (what is unhappy, who can be marked) and
 * the rollups' promoter / passive / detractor, satisfied and easy counts (those are SQL in
 * prisma/migrations/20261203000100_cx_rollups/migration.sql; tests/integration/value-bands.test.ts holds them to this
 * table). Ranges are inclusive. NPS 0–10: detractor 0–6, passive 7–8, promoter 9–10. CSAT 1–5: low 1–2, high 4–5.
 * CES 1–7 (7 = very easy): low 1–3, high 5–7. The scores between CSAT's or CES's bands (CSAT 3, CES 4) are in none.
 */
export type ScoreQuestion = "nps" | "csat" | "ces";
export type ScoreBand = "detractor" | "passive" | "promoter" | "low" | "high";

export const SCORE_QUESTIONS: readonly ScoreQuestion[] = ["nps", "csat", "ces"];

export const BAND_RANGES = {
  nps: { detractor: [0, 6], passive: [7, 8], promoter: [9, 10] },
  csat: { low: [1, 2], high: [4, 5] },
  ces: { low: [1, 3], high: [5, 7] },
} as const satisfies { readonly [Q in ScoreQuestion]: Readonly<Partial<Record<ScoreBand, readonly [number, number]>>> };

export const BANDS_BY_QUESTION: Record<ScoreQuestion, readonly ScoreBand[]> = {
  nps: ["detractor", "passive", "promoter"],
  csat: ["low", "high"],
  ces: ["low", "high"],
};

/** The inclusive range of `band` for `question`, or undefined for a band the question does not have. */
export function bandRange(question: ScoreQuestion, band: ScoreBand): readonly [number, number] | undefined {
  const ranges: Readonly<Partial<Record<ScoreBand, readonly [number, number]>>> = BAND_RANGES[question];
  return ranges[band];
}

/** The band a score falls in (null for a score between bands, e.g. CSAT 3, or outside the scale). */
export function scoreBand(question: ScoreQuestion, score: number): ScoreBand | null {
  for (const band of BANDS_BY_QUESTION[question]) {
    const range = bandRange(question, band);
    if (range && score >= range[0] && score <= range[1]) return band;
  }
  return null;
}

/** The highest score of each question that counts as unhappy: a detractor NPS, a low CSAT or CES. */
export const UNHAPPY_AT_MOST = {
  nps: BAND_RANGES.nps.detractor[1],
  csat: BAND_RANGES.csat.low[1],
  ces: BAND_RANGES.ces.low[1],
} as const;
