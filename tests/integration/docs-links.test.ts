import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, TMP } from "../support/paths";

/**
 * Links that point to nothing. Every decision record named in code comments, docs and tests (`decision 022`,
 * `decisions 012 and 019`, `docs/decisions/026-pubsub-consumer.md`, a Markdown link) exists, and every repository
 * path named in a code comment or a document (`app/routes/…`, `tests/faults`, a relative Markdown link, an app module
 * named from app/ as imports name it: `services/outbox.server.ts`, `domain/survey/config`) resolves to a file or
 * folder of this repository; so does a bare Markdown file name (`README.md`). Globs and
 * placeholders (`webhooks.*.tsx`, `<name>`, `NNN`) are patterns, not links, and webhook topics (`app/uninstalled`)
 * are not paths: both are left alone. A decision record that tells of a file since removed names it without its
 * folder (`cx-rollups.mjs`, removed with SQLite), so it reads as history, not as a link.
 */
const SKIP_DIRS = new Set(["node_modules", "build", "build-demo", "tmp", "test-results", "reports", "dist", ".git", ".node", ".postgres", ".shopify", "fixtures"]);
const CODE = /\.(ts|tsx|mjs|js|cjs)$/;
const TEXT = /\.(md|prisma|sql|toml)$/;
const TOP_DIRS = "app|tests|docs|scripts|bench|prisma|extensions";
/** The app's own folders, which code comments name relative to app/ (`services/outbox.server.ts`). */
const APP_DIRS = "services|models|domain|routes|components|webhooks|shopify";

function sourceFiles(dir: string, found: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".stryker-tmp") || SKIP_DIRS.has(entry.name) || /\.tmp\.\w+$/.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, found);
    else if ((CODE.test(entry.name) || TEXT.test(entry.name)) && entry.name !== "package-lock.json") found.push(full);
  }
  return found;
}

/** The comments of a code file (line and block comments); documents are read whole. */
function linkableText(file: string, text: string): string {
  if (!CODE.test(file)) return text;
  // A comment starts a line or follows white space: "/auth/*" or "https://" inside a string is not one.
  return [...text.matchAll(/(?<=^|\s)(?:\/\*[\s\S]*?\*\/|\/\/[^\n]*)/g)].map((m) => m[0]).join("\n");
}

const DECISIONS = fs.readdirSync(path.join(ROOT, "docs", "decisions")).filter((f) => /^\d{3}-.+\.md$/.test(f));
const decisionNumbers = new Set(DECISIONS.map((f) => f.slice(0, 3)));
/** A decision record by path (checked once, by name, whichever other rule would also see it). */
const DECISION_PATH = /(?:docs\/)?decisions\/(\d{3}-[A-Za-z0-9-]+\.md)/;
const exists = (...candidates: string[]) => candidates.some((c) => fs.existsSync(c));
/**
 * A repository path git ignores: build output (`extensions/post-purchase-survey/dist/`) and local data are named in
 * comments but exist only after a build or a run, never in a fresh clone.
 */
const ignoredByGit = (token: string) => spawnSync("git", ["check-ignore", "-q", "--no-index", token], { cwd: ROOT }).status === 0;
/** Webhook topics (`app/uninstalled`) look like paths; they are read from shopify.app.toml and are not checked. */
const TOPICS = new Set([...fs.readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8").matchAll(/"([a-z_]+\/[a-z_]+)"/g)].map((m) => m[1]!));

interface Broken {
  file: string;
  link: string;
}

function brokenLinks(file: string): Broken[] {
  const text = linkableText(file, fs.readFileSync(file, "utf8"));
  const rel = path.relative(ROOT, file);
  const dir = path.dirname(file);
  const broken: Broken[] = [];
  const flag = (link: string) => broken.push({ file: rel, link });
  // Decision records by path: docs/decisions/NNN-title.md, or decisions/NNN-title.md relative to docs/.
  for (const m of text.matchAll(new RegExp(DECISION_PATH, "g"))) {
    if (!DECISIONS.includes(m[1]!)) flag(m[0]);
  }
  // Decision records by number: "decision 022", "decisions 012 and 019", "decisions 011, 012, 014".
  for (const m of text.matchAll(/\b[Dd]ecisions? (\d{3}(?:(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)\d{3})*)\b/g)) {
    for (const n of m[1]!.match(/\d{3}/g)!) if (!decisionNumbers.has(n)) flag(`decision ${n}`);
  }
  // Relative Markdown links: [text](path) in documents.
  if (file.endsWith(".md")) {
    for (const m of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target) || DECISION_PATH.test(target)) continue;
      if (!exists(path.resolve(dir, target))) flag(target);
    }
  }
  // Repository paths named in prose or comments (app/…, tests/…, docs/…) and bare Markdown file names.
  const pathToken = new RegExp(`(?<=^|[\\s\`'"(\\[])((?:${TOP_DIRS}|${APP_DIRS})/[A-Za-z0-9_.$\\[\\]/-]*|[A-Za-z0-9_-]+\\.md)(?=$|[\\s\`'"),:;!?]|\\.(?:\\s|$))`, "gm");
  for (const m of text.matchAll(pathToken)) {
    const token = m[1]!.replace(/[.]+$/, "");
    if (/[*<>{}…]|NNN/.test(token) || TOPICS.has(token) || DECISION_PATH.test(token)) continue;
    // A bare record name ("025-postgresql.md") is a decision record's.
    // A module may be named as it is imported, without its extension (`domain/survey/config`).
    const app = path.join(ROOT, "app", token);
    const candidates = [path.join(ROOT, token), path.resolve(dir, token), path.join(ROOT, "docs", "decisions", token), app, `${app}.ts`, `${app}.tsx`];
    if (!exists(...candidates) && !ignoredByGit(token)) flag(token);
  }
  return broken;
}

describe("links in code comments and docs", () => {
  const files = sourceFiles(ROOT);

  it("scans the app, the tests, the scripts and the docs", () => {
    const rel = files.map((f) => path.relative(ROOT, f));
    for (const expected of ["README.md", "docs/architecture.md", "app/env.server.ts", "tests/support/setup.ts", "scripts/migrate.mjs", "prisma/schema.prisma", "server.mjs"]) {
      expect(rel).toContain(expected);
    }
    expect(DECISIONS.length).toBeGreaterThan(20);
  });

  it("finds the kinds of broken link it is meant to catch, in documents and in code comments only", () => {
    fs.mkdirSync(TMP, { recursive: true });
    const doc = path.join(TMP, `links-probe-${process.pid}.md`);
    const code = path.join(TMP, `links-probe-${process.pid}.ts`);
    fs.writeFileSync(
      doc,
      ["See decision 007 and [a record](../docs/decisions/008-security-hardening.md), decisions 012 and 009.", "The budgets in DESIGN.md; the server in `app/nowhere.server.ts`, the suite in tests/faults."].join("\n"),
    );
    fs.writeFileSync(
      code,
      [
        "// The seams (docs/decisions/007-fault-suite-seams.md), decision 025; app/routes/app._index/route.tsx",
        "/** Budgets: DESIGN.md. Pinned by tests/integration/nowhere.test.ts. Beside services/outbox.server.ts, not services/gone.server.ts. */",
        'const url = "https://example.com/app/nowhere.ts"; const glob = "app/routes/webhooks.*.tsx"; const s = "see decision 010";',
      ].join("\n"),
    );
    try {
      expect(brokenLinks(doc).map((b) => b.link)).toEqual([
        "docs/decisions/008-security-hardening.md",
        "decision 007",
        "decision 009",
        "DESIGN.md",
        "app/nowhere.server.ts",
      ]);
      expect(brokenLinks(code).map((b) => b.link)).toEqual([
        "docs/decisions/007-fault-suite-seams.md",
        "DESIGN.md",
        "tests/integration/nowhere.test.ts",
        "services/gone.server.ts",
      ]);
    } finally {
      fs.rmSync(doc);
      fs.rmSync(code);
    }
  });

  it("every decision record and repository path they name exists", () => {
    expect(files.flatMap(brokenLinks)).toEqual([]);
  });
});
