import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { readSql } from "~/db.server";
import { VALUE_EDGES_MINOR } from "~/domain/cx/value-bands";
import { BAND_RANGES, scoreBand, type ScoreQuestion } from "~/domain/survey/score-bands";

/**
 * The rollups' SQL (prisma/migrations/20261203000100_cx_rollups/migration.sql) cannot import TypeScript, so this file
 * holds it to the two TypeScript tables it restates, read from the database's own functions: the order value bucket
 * edges of "cx_value_bucket" (app/domain/cx/value-bands.ts) and the score bands "cx_answer_cells" and
 * "cx_worth_cells" count by (app/domain/survey/score-bands.ts). A later migration that replaces a function is
 * checked the same way.
 */
type Row = Record<string, unknown>;
const query = async (sql: Prisma.Sql) =>
  (await readSql().$queryRaw<Row[]>(sql)).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));

describe("the order value bucket edges", () => {
  it("of cx_value_bucket, as its definition spells them, are VALUE_EDGES_MINOR", async () => {
    const [row] = await query(Prisma.sql`SELECT pg_get_functiondef('"cx_value_bucket"(bigint)'::regprocedure) AS "definition"`);
    const literals = [...String(row!.definition).matchAll(/'\{([^}]*)\}'::bigint\[\]/g)];
    expect(literals).toHaveLength(1);
    expect(literals[0]![1]!.split(",").map(Number)).toEqual(VALUE_EDGES_MINOR);
  });

  it("split the totals where VALUE_EDGES_MINOR says: below an edge one bucket, at it the next", async () => {
    const totals = [0, ...VALUE_EDGES_MINOR.flatMap((e) => [e - 1, e]), 2 ** 53 - 1];
    const rows = await query(Prisma.sql`SELECT t AS "total", "cx_value_bucket"(t) AS "bucket" FROM unnest(${totals}::bigint[]) AS t`);
    expect(rows).toEqual(totals.map((total) => ({ total, bucket: String(VALUE_EDGES_MINOR.filter((e) => total >= e).length) })));
  });
});

describe("the score bands the rollups count", () => {
  /** What one answer with these scores adds to the 'all' cell of CxDaily, and its CxWorthDaily category. */
  async function cellsOf(scores: Partial<Record<ScoreQuestion, number>>) {
    const answer = JSON.stringify({ shop: "bands.myshopify.com", customerId: "1", createdAt: "2026-11-22T12:00:00Z", answeredMinor: 0, followOrders: 0, followNetMinor: 0, ...scores });
    const [cell] = await query(Prisma.sql`
      SELECT "promoters", "passives", "detractors", "csatAnswers", "csatSatisfied", "cesAnswers", "cesEasy"
      FROM "cx_answer_cells"(jsonb_populate_record(NULL::"SurveyResponse", ${answer}::jsonb), 1) WHERE "dimension" = 'all'`);
    const worth = await query(Prisma.sql`
      SELECT "category" FROM "cx_worth_cells"(jsonb_populate_record(NULL::"SurveyResponse", ${answer}::jsonb), 1)`);
    return { cell: cell!, category: worth[0]?.category ?? null };
  }

  const scale = (question: ScoreQuestion) => {
    const ranges = Object.values(BAND_RANGES[question]);
    return { from: Math.min(...ranges.map((r) => r[0])), to: Math.max(...ranges.map((r) => r[1])) };
  };

  it("NPS: promoters, passives and detractors (and the worth category) are the table's bands, score by score", async () => {
    const { from, to } = scale("nps");
    expect([from, to]).toEqual([0, 10]);
    for (let nps = from; nps <= to; nps++) {
      const band = scoreBand("nps", nps);
      const { cell, category } = await cellsOf({ nps });
      expect({ nps, ...cell, category }).toMatchObject({
        nps,
        promoters: band === "promoter" ? 1 : 0,
        passives: band === "passive" ? 1 : 0,
        detractors: band === "detractor" ? 1 : 0,
        category: band,
      });
    }
  });

  it.each([
    ["csat", "csatAnswers", "csatSatisfied"],
    ["ces", "cesAnswers", "cesEasy"],
  ] as const)("%s: the satisfied / easy count is the table's high band, score by score", async (question, answers, high) => {
    const { from, to } = scale(question);
    for (let score = from; score <= to; score++) {
      const { cell } = await cellsOf({ [question]: score });
      expect({ score, answers: cell[answers], high: cell[high] }).toEqual({ score, answers: 1, high: scoreBand(question, score) === "high" ? 1 : 0 });
    }
  });
});
