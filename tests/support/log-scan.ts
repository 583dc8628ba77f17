import fs from "node:fs";
import path from "node:path";

/**
 * The check that no log line carries customer data. tests/support/setup.ts tees every line the app's logger produces
 * into tmp/logs/<worker>.jsonl; after the whole run, the global teardown (tests/support/global-setup.ts) scans them
 * with `scanLogDirectory` and fails the run on any finding. A line is PII-bearing when one of its values holds
 * - an email address, or a phone number (international "+…", "(613) 555-0142", "613-555-0142", "555-0100");
 * - a name, comment, note or address the test fixtures use: every literal given to a `first_name`, `last_name`,
 *   `firstName`, `lastName`, `email`, `phone`, `comment`, `notes`, `other` (attribution text) or address field in the
 *   test sources, collected at run time, so a fixture added later is covered too. A value that also occurs in the
 *   app's own source (a word like "Customer") identifies no one and is left out.
 */
export interface Finding {
  file: string;
  line: number;
  rule: string;
  match: string;
}

interface Needle {
  rule: string;
  pattern: RegExp;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
const PHONES = [
  /\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}\b/, // +1 613 555 0142, +44 20 7946 0958
  /\(\d{3}\)\s?\d{3}[\s.-]\d{4}\b/, // (613) 555-0142
  /\b\d{3}[\s.-]\d{3}[\s.-]\d{4}\b/, // 613-555-0142, 613.555.0142
  /\b\d{3}-\d{4}\b/, // 555-0100
];

/** Keys whose literal values in test sources are shopper data: `first_name`, `lastName`, `email`, `guestComment`, `attributionOther`… */
const PII_KEY = String.raw`\b\w*(?:first_?name|last_?name|email|phone|comment|notes|other|address\d?|city|zip)`;
/** `key: "literal"`, `key: 'literal'` or `key: \`template ${x} text\`` in test sources. */
const FIXTURE_LITERAL = new RegExp(String.raw`${PII_KEY}\s*:\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|\`([^\`]*)\`)`, "gi");

/** A source literal's text as the program sees it (escapes such as \n, \", \u00e9 resolved). */
function unescape(literal: string, quote: string): string {
  const asJson = quote === '"' ? literal : literal.replace(new RegExp(`\\\\${quote}`, "g"), quote).replace(/"/g, '\\"');
  try {
    return JSON.parse(`"${asJson}"`) as string;
  } catch {
    return literal;
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function listFiles(dir: string, accept: (file: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && accept(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.includes(`${path.sep}node_modules${path.sep}`));
}

const isTestSource = (file: string) => /\.test\.tsx?$/.test(file);
const isSource = (file: string) => /\.tsx?$/.test(file);

/** The fixture texts of the test sources under `root` (tests/, and *.test.ts(x) beside the app and extension code). */
export function collectFixtureTexts(root: string): string[] {
  const files = [
    ...listFiles(path.join(root, "tests"), isSource),
    ...listFiles(path.join(root, "app"), isTestSource),
    ...listFiles(path.join(root, "extensions"), isTestSource),
  ];
  const texts = new Set<string>();
  for (const file of files) {
    for (const match of fs.readFileSync(file, "utf8").matchAll(FIXTURE_LITERAL)) {
      const [quote, literal] = match[1] !== undefined ? ['"', match[1]] : match[2] !== undefined ? ["'", match[2]] : ["`", null];
      // A template's fixed parts: `${marker} the parcel came late` → "the parcel came late".
      const parts = literal !== null ? [literal] : (match[3] ?? "").split(/\$\{[^}]*\}/);
      for (const part of parts) {
        const text = unescape(part, quote).trim();
        if (/\p{L}/u.test(text) && !text.includes("${")) texts.add(text);
      }
    }
  }
  return [...texts];
}

/** The app's own source text (not its tests): words in it name no one. */
export function appSourceText(root: string): string {
  return listFiles(path.join(root, "app"), (f) => isSource(f) && !isTestSource(f))
    .map((file) => fs.readFileSync(file, "utf8"))
    .join("\n");
}

/** Patterns for the fixture texts: names (3+ characters) as whole words, other texts (5+ characters) anywhere. */
export function fixtureNeedles(texts: string[], appSource = ""): Needle[] {
  const needles: Needle[] = [];
  for (const text of texts) {
    if (text.length < 3 || EMAIL.test(text) || PHONES.some((p) => p.test(text))) continue;
    const word = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(text)}(?![\\p{L}\\p{N}])`, "u");
    if (word.test(appSource)) continue;
    needles.push({ rule: `fixture text ${JSON.stringify(text)}`, pattern: text.length < 5 ? word : new RegExp(escapeRegExp(text), "u") });
  }
  return needles;
}

/** The fixture patterns of the sources under `root`. */
export const fixtureNeedlesOf = (root: string) => fixtureNeedles(collectFixtureTexts(root), appSourceText(root));

const BUILT_IN: Needle[] = [{ rule: "email address", pattern: EMAIL }, ...PHONES.map((pattern) => ({ rule: "phone number", pattern }))];

/** Every string in a log line: its JSON values (and keys), or the raw line if it is not JSON. */
function stringsOf(line: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return [line];
  }
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === "string") out.push(v);
    else if (typeof v === "number" || typeof v === "boolean") return;
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      for (const [key, inner] of Object.entries(v)) {
        out.push(key);
        // The timestamp is the logger's own; it never holds data.
        if (key !== "at") visit(inner);
      }
    }
  };
  visit(value);
  return out;
}

/** Findings in `lines` (numbered from 1) against the built-in patterns and `needles`. */
export function scanLogLines(lines: string[], needles: Needle[] = [], file = "(lines)"): Finding[] {
  const all = [...BUILT_IN, ...needles];
  const findings: Finding[] = [];
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    for (const text of stringsOf(line)) {
      for (const needle of all) {
        const match = needle.pattern.exec(text);
        if (match) findings.push({ file, line: index + 1, rule: needle.rule, match: match[0] });
      }
    }
  });
  return findings;
}

/** Scans every captured log file in `dir` with the fixture texts of the test sources under `root`. */
export function scanLogDirectory(dir: string, root: string): { files: number; lines: number; findings: Finding[] } {
  const needles = fixtureNeedlesOf(root);
  const files = listFiles(dir, (f) => f.endsWith(".jsonl"));
  let lines = 0;
  const findings: Finding[] = [];
  for (const file of files) {
    const content = fs.readFileSync(file, "utf8").split("\n");
    lines += content.filter((l) => l.trim()).length;
    findings.push(...scanLogLines(content, needles, path.relative(root, file)));
  }
  return { files: files.length, lines, findings };
}

/** Throws, failing the test run, when a captured line holds customer data. */
export function assertLogsFreeOfPii(dir: string, root: string) {
  const { files, lines, findings } = scanLogDirectory(dir, root);
  if (!findings.length) return { files, lines };
  const shown = findings.slice(0, 20).map((f) => `  ${f.file}:${f.line} ${f.rule}: ${JSON.stringify(f.match)}`);
  throw new Error(
    `Customer data in the app's logs (${findings.length} finding(s) in ${lines} captured lines). Log ids, not values:\n${shown.join("\n")}`,
  );
}
