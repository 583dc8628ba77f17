import { describe, expect, it } from "vitest";
import { loadEquivalents, scoreReport } from "./mutation-score.mjs";

const mutant = (line: number, mutatorName: string, replacement: string, status: string) => ({
  mutatorName,
  replacement,
  status,
  location: { start: { line, column: 1 }, end: { line, column: 9 } },
});

const report = {
  files: {
    "app/domain/money.ts": {
      mutants: [
        mutant(10, "EqualityOperator", "a <= b", "Killed"),
        mutant(11, "ArithmeticOperator", "a - b", "Timeout"),
        mutant(12, "StringLiteral", '""', "Survived"),
        mutant(13, "BlockStatement", "{}", "NoCoverage"),
        mutant(14, "ConditionalExpression", "true", "Ignored"),
      ],
    },
    "app/domain/loyalty/points.ts": {
      mutants: [mutant(5, "ConditionalExpression", "false", "Killed"), mutant(6, "EqualityOperator", "x > 0", "Survived")],
    },
    "app/services/outbox.server.ts": { mutants: [mutant(1, "BooleanLiteral", "false", "Killed")] },
  },
};

describe("scoreReport", () => {
  it("scores killed + timed out against killed, survived and uncovered, per group and overall; ignored ones are left out", () => {
    const { groups, total, survivors, stale } = scoreReport(report, []);
    const group = (name: string) => groups.find((g) => g.name === name || g.name.startsWith(name))!;
    const money = group("app/domain/money.ts");
    expect(money).toMatchObject({ killed: 2, survived: 1, noCoverage: 1, equivalent: 0 });
    expect(money.score).toBe(50);
    expect(group("app/domain/loyalty").score).toBe(50);
    expect(group("services").score).toBe(100);
    expect(total).toMatchObject({ killed: 4, survived: 2, noCoverage: 1 });
    expect(total.score).toBeCloseTo((100 * 4) / 7, 10);
    expect(survivors.map((s) => `${s.file}:${s.line}`)).toEqual([
      "app/domain/loyalty/points.ts:6",
      "app/domain/money.ts:12",
      "app/domain/money.ts:13",
    ]);
    expect(stale).toEqual([]);
  });

  it("leaves out a listed equivalent mutant and reports a listed one that no longer survives as stale", () => {
    const equivalents = loadEquivalents(
      [
        "| file | line | mutator | replacement | reason |",
        "| --- | --- | --- | --- | --- |",
        '| app/domain/money.ts | 12 | StringLiteral | `""` | the message is never shown |',
        "| app/domain/money.ts | 10 | EqualityOperator | `a <= b` | no longer true |",
      ].join("\n"),
    );
    const { total, stale } = scoreReport(report, equivalents);
    expect(total).toMatchObject({ killed: 4, survived: 1, noCoverage: 1, equivalent: 1 });
    expect(total.score).toBeCloseTo((100 * 4) / 6, 10);
    expect(stale.map((e: { line: number }) => e.line)).toEqual([10]);
  });

  it("refuses an equivalent without a reason", () => {
    expect(() => loadEquivalents("| app/domain/money.ts | 12 | StringLiteral | `\"\"` |  |")).toThrow(/has no reason/);
  });
});
