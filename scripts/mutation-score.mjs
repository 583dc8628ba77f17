// Scores a StrykerJS JSON report (mutation-testing-report-schema) per module group, leaving out equivalent mutants.

/** The groups the README reports; a file counts in the first group whose prefix it starts with, and in the total. */
export const GROUPS = [
  ["app/domain/loyalty", "app/domain/loyalty/"],
  ["app/domain/money.ts", "app/domain/money.ts"],
  ["app/domain/orders", "app/domain/orders/"],
  ["app/domain/cx", "app/domain/cx/"],
  ["app/domain/returns", "app/domain/returns/"],
  ["app/domain (the rest)", "app/domain/"],
  ["services and models (ingest, ledger, answers, outbox)", "app/"],
];

/**
 * The cells of one Markdown table row (`| a | b |`), trimmed, or null for a line that is not a row. As in GitHub
 * Markdown, `\|` is a pipe inside a cell (code spans included), so a replacement such as `a \|\| b` can be listed;
 * every other backslash is kept as written (`/\d+/`).
 */
export function tableRowCells(line) {
  const row = line.trim();
  if (!row.startsWith("|") || !row.endsWith("|") || row.endsWith("\\|") || row.length < 2) return null;
  const cells = [];
  let cell = "";
  for (let i = 1; i < row.length - 1; i++) {
    if (row[i] === "\\" && row[i + 1] === "|") {
      cell += "|";
      i++;
    } else if (row[i] === "|") {
      cells.push(cell.trim());
      cell = "";
    } else cell += row[i];
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * The equivalent mutants listed in mutation-equivalents.md: table rows `| file | line | mutator | replacement | reason |`,
 * the replacement in backticks (a `|` in it written `\|`). A row without a reason is refused: every exception says why;
 * so is a row of another width, which an unescaped `|` in a cell makes (it was skipped in silence before).
 */
export function loadEquivalents(markdown) {
  const rows = [];
  for (const line of markdown.split("\n")) {
    const cells = tableRowCells(line);
    if (cells === null || !/^app\//.test(cells[0])) continue;
    if (cells.length !== 5) {
      throw new Error(`mutation-equivalents.md: a row for ${cells[0]} has ${cells.length} cells, not 5 (write a | inside a cell as \\|)`);
    }
    const [file, lineNo, mutator, replacement, reason] = cells;
    if (!reason) throw new Error(`mutation-equivalents.md: ${file}:${lineNo} has no reason`);
    rows.push({ file, line: Number(lineNo), mutator, replacement: replacement.replace(/^`|`$/g, ""), reason });
  }
  return rows;
}

const key = (m) => `${m.file}:${m.line}:${m.mutator}:${m.replacement}`;
const ratio = (killed, counted) => (counted === 0 ? null : (100 * killed) / counted);

export function scoreReport(report, equivalents) {
  const listed = new Map(equivalents.map((e) => [key(e), e]));
  const matched = new Set();
  const blank = (name) => ({ name, killed: 0, survived: 0, noCoverage: 0, equivalent: 0, score: null });
  const groups = GROUPS.map(([name]) => blank(name));
  const total = blank("all");
  const files = [];
  const survivors = [];
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const groupIndex = GROUPS.findIndex(([, prefix]) => file.startsWith(prefix));
    const own = blank(file);
    files.push(own);
    for (const mutant of mutants) {
      const m = { file, line: mutant.location.start.line, mutator: mutant.mutatorName, replacement: mutant.replacement ?? "" };
      const counters = groupIndex >= 0 ? [groups[groupIndex], total, own] : [total, own];
      const status = mutant.status;
      if (status === "Killed" || status === "Timeout") counters.forEach((c) => c.killed++);
      else if (status === "Survived" || status === "NoCoverage") {
        if (listed.has(key(m))) {
          matched.add(key(m));
          counters.forEach((c) => c.equivalent++);
        } else {
          counters.forEach((c) => (status === "Survived" ? c.survived++ : c.noCoverage++));
          survivors.push(m);
        }
      }
      // Ignored, CompileError, RuntimeError: not a behaviour test; Stryker leaves them out of its score too.
    }
  }
  for (const s of [...groups, total, ...files]) s.score = ratio(s.killed, s.killed + s.survived + s.noCoverage);
  const stale = equivalents.filter((e) => !matched.has(key(e)) && report.files[e.file]);
  survivors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  files.sort((a, b) => a.name.localeCompare(b.name));
  return { groups: groups.filter((g) => g.killed + g.survived + g.noCoverage + g.equivalent > 0), files, total, stale, survivors };
}
