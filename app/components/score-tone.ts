import { scoreBand, type ScoreBand, type ScoreQuestion } from "~/domain/survey/score-bands";

type ScoreTone = "success" | "attention" | "critical" | undefined;

const TONES: Record<ScoreBand, ScoreTone> = { detractor: "critical", passive: "attention", promoter: "success", low: "critical", high: "success" };

/**
 * A score's badge tone, from its band (app/domain/survey/score-bands.ts): red for unhappy, amber for a passive NPS,
 * green for happy, neutral between bands (CSAT 3, CES 4). Every score badge of the admin takes its tone from here.
 */
export function scoreTone(question: ScoreQuestion, score: number): ScoreTone {
  const band = scoreBand(question, score);
  return band ? TONES[band] : undefined;
}
