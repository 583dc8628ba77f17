import { Prisma } from "@prisma/client";
import { bandRange, type ScoreBand, type ScoreQuestion } from "~/domain/survey/score-bands";

const COLUMN: Record<ScoreQuestion, Prisma.Sql> = {
  nps: Prisma.sql`r."nps"`,
  csat: Prisma.sql`r."csat"`,
  ces: Prisma.sql`r."ces"`,
};

/**
 * The condition on `SurveyResponse r` of the answers list's and the export's score filter: answers to `question`,
 * within `band` (app/domain/survey/score-bands.ts) when it is one of the question's bands.
 */
export function scoreFilterSql(question: ScoreQuestion, band?: ScoreBand): Prisma.Sql {
  const column = COLUMN[question];
  const range = band ? bandRange(question, band) : undefined;
  return range ? Prisma.sql`${column} BETWEEN ${range[0]} AND ${range[1]}` : Prisma.sql`${column} IS NOT NULL`;
}
