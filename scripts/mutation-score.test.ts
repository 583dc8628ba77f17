import { describe, expect, it } from "vitest";
import { loadEquivalents, scoreReport, tableRowCells } from "./mutation-score.mjs";

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

  it("scores each file on its own too, in path order, with the same counts", () => {
    const { files } = scoreReport(report, []);
    expect(files.map((f: { name: string; killed: number; survived: number; noCoverage: number; score: number | null }) => [f.name, f.killed, f.survived, f.noCoverage, f.score])).toEqual([
      ["app/domain/loyalty/points.ts", 1, 1, 0, 50],
      ["app/domain/money.ts", 2, 1, 1, 50],
      ["app/services/outbox.server.ts", 1, 0, 0, 100],
    ]);
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

describe("tableRowCells", () => {
  it("splits a row on its pipes and trims the cells", () => {
    expect(tableRowCells("| app/a.ts | 3 | StringLiteral | `\"\"` | why |")).toEqual(["app/a.ts", "3", "StringLiteral", '`""`', "why"]);
    expect(tableRowCells("  | a |  |b| ")).toEqual(["a", "", "b"]);
  });

  it("reads \\| as a pipe inside a cell, in a code span or not, as GitHub Markdown does", () => {
    expect(tableRowCells("| app/a.ts | 107 | LogicalOperator | `days.from \\|\\| days.to` | a \\| b |")).toEqual([
      "app/a.ts",
      "107",
      "LogicalOperator",
      "`days.from || days.to`",
      "a | b",
    ]);
  });

  it("keeps every other backslash as written", () => {
    expect(tableRowCells("| `/\\d{4}-\\d{2}$/` | `\"\\\\\"` | \\n |")).toEqual(["`/\\d{4}-\\d{2}$/`", '`"\\\\"`', "\\n"]);
  });

  it("is null for a line that is not a closed row", () => {
    expect(tableRowCells("")).toBeNull();
    expect(tableRowCells("Mutants that StrykerJS reports | as surviving")).toBeNull();
    expect(tableRowCells("| a | b")).toBeNull();
    expect(tableRowCells("|")).toBeNull();
    expect(tableRowCells("| a | b \\|")).toBeNull();
  });
});

describe("loadEquivalents, escaped pipes", () => {
  it("lists a mutant whose replacement holds ||, written \\|\\|, and matches it against the report's replacement", () => {
    const [row] = loadEquivalents(
      "| app/domain/survey/answer-filters.ts | 107 | LogicalOperator | `days.from \\|\\| days.to` | a \\| in the reason |",
    );
    expect(row).toEqual({
      file: "app/domain/survey/answer-filters.ts",
      line: 107,
      mutator: "LogicalOperator",
      replacement: "days.from || days.to",
      reason: "a | in the reason",
    });
    const survivor = {
      files: { "app/domain/survey/answer-filters.ts": { mutants: [mutant(107, "LogicalOperator", "days.from || days.to", "Survived")] } },
    };
    expect(scoreReport(survivor, [row!])).toMatchObject({ survivors: [], stale: [], total: { equivalent: 1, survived: 0 } });
  });

  it("refuses a row whose unescaped | makes it wider than five cells, instead of skipping it", () => {
    expect(() => loadEquivalents("| app/domain/survey/answer-filters.ts | 107 | LogicalOperator | `days.from || days.to` | why |")).toThrow(
      /answer-filters\.ts has 7 cells, not 5 \(write a \| inside a cell as \\\|\)/,
    );
  });

  it("reads every row of the repository's own table (none skipped: each row is five cells)", async () => {
    const fs = await import("node:fs");
    const markdown = fs.readFileSync(new URL("../mutation-equivalents.md", import.meta.url), "utf8");
    const rows = markdown.split("\n").filter((line) => /^\|\s*app\//.test(line));
    expect(loadEquivalents(markdown)).toHaveLength(rows.length);
  });
});
