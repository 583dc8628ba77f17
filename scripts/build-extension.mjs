#!/usr/bin/env node
/**
 * Builds every UI extension under extensions/ (checkout, thank-you, customer accounts) the way the Shopify CLI does
 * (esbuild: bundle, ESM, minify, automatic JSX from Preact, es2020, production NODE_ENV). An extension is a folder
 * with a shopify.extension.toml of `type = "ui_extension"`; its targets are that file's `[[extensions.targeting]]`
 * entries (`target` + `module`), so the list lives in one place. Each module becomes `<dir>/dist/<kebab-name>.js`
 * (src/ThankYou.tsx → dist/thank-you.js). Prints each bundle's size, minified and gzip, and fails above the house
 * budget of 40 KB minified per bundle (Shopify refuses anything above 64 KB).
 *
 *   node scripts/build-extension.mjs                         # every extension
 *   node scripts/build-extension.mjs customer-account-rewards  # one, by folder name
 *   AFTERGLOW_APP_URL=https://… node scripts/build-extension.mjs   # point the bundles at your backend
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import zlib from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const EXTENSIONS_DIR = path.join(root, "extensions");
export const BUDGET_BYTES = 40 * 1024;
export const SHOPIFY_LIMIT_BYTES = 64 * 1024;
export const DEFAULT_APP_URL = "https://afterglow.example.com";

/** `src/OrderStatus.tsx` → `order-status.js`. */
export function bundleName(module) {
  const base = path.basename(module).replace(/\.[jt]sx?$/, "");
  return `${base.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}.js`;
}

/**
 * The targets of one extension's shopify.extension.toml: each `[[extensions.targeting]]` table's `target` and
 * `module` strings (the only TOML this needs; anything else in the file is ignored).
 * @returns {{target: string, entry: string, out: string}[]}
 */
export function parseTargets(toml) {
  const targets = [];
  for (const table of toml.split(/^\s*\[\[extensions\.targeting\]\]\s*$/m).slice(1)) {
    const body = table.split(/^\s*\[/m)[0];
    const target = /^\s*target\s*=\s*"([^"]+)"/m.exec(body)?.[1];
    const module = /^\s*module\s*=\s*"([^"]+)"/m.exec(body)?.[1];
    if (!target || !module) throw new Error(`[[extensions.targeting]] without target and module: ${body.trim()}`);
    targets.push({ target, entry: module.replace(/^\.\//, ""), out: bundleName(module) });
  }
  return targets;
}

/** Every UI extension under extensions/, by folder name, with its targets. */
export function listExtensions() {
  return fs
    .readdirSync(EXTENSIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ name: d.name, dir: path.join(EXTENSIONS_DIR, d.name), toml: path.join(EXTENSIONS_DIR, d.name, "shopify.extension.toml") }))
    .filter((e) => fs.existsSync(e.toml))
    .map((e) => ({ ...e, text: fs.readFileSync(e.toml, "utf8") }))
    .filter((e) => /^\s*type\s*=\s*"ui_extension"/m.test(e.text))
    .map(({ name, dir, text }) => ({ name, dir, targets: parseTargets(text) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Vite's esbuild (0.25) is the one that matches the Shopify CLI; the top-level copy is an older one from Remix. */
async function loadEsbuild() {
  const require = createRequire(import.meta.url);
  for (const from of [require.resolve("vite/package.json"), path.join(root, "package.json")]) {
    try {
      const resolved = createRequire(from).resolve("esbuild");
      return (await import(pathToFileURL(resolved).href)).default;
    } catch {
      // try the next one
    }
  }
  throw new Error("esbuild not found (it comes with vite)");
}

/**
 * Builds the named extension (folder name), or every one when `extension` is absent. Output goes to each
 * extension's own dist/, or, with `outdir`, to `<outdir>/<extension>/`.
 * @param {{ appUrl?: string, outdir?: string, extension?: string }} [options]
 * @returns {Promise<{extension: string, target: string, file: string, bytes: number, gzipBytes: number}[]>}
 */
export async function buildExtension({ appUrl = process.env.AFTERGLOW_APP_URL || DEFAULT_APP_URL, outdir, extension } = {}) {
  const all = listExtensions();
  const chosen = extension ? all.filter((e) => e.name === extension) : all;
  if (extension && chosen.length === 0) throw new Error(`no UI extension named ${extension} under extensions/`);
  const esbuild = await loadEsbuild();
  const results = [];
  for (const ext of chosen) {
    const dist = outdir ? path.join(outdir, ext.name) : path.join(ext.dir, "dist");
    fs.mkdirSync(dist, { recursive: true });
    for (const { target, entry, out } of ext.targets) {
      const outfile = path.join(dist, out);
      await esbuild.build({
        entryPoints: [path.join(ext.dir, entry)],
        outfile,
        bundle: true,
        format: "esm",
        minify: true,
        target: "es2020",
        jsx: "automatic",
        jsxImportSource: "preact",
        legalComments: "none",
        logLevel: "silent",
        define: {
          "process.env.NODE_ENV": JSON.stringify("production"),
          "process.env.AFTERGLOW_APP_URL": JSON.stringify(appUrl),
        },
      });
      const bytes = fs.statSync(outfile).size;
      const gzipBytes = zlib.gzipSync(fs.readFileSync(outfile), { level: 9 }).length;
      results.push({ extension: ext.name, target, file: outfile, bytes, gzipBytes });
    }
  }
  return results;
}

export const formatSize = (bytes) => `${bytes} B (${(bytes / 1024).toFixed(1)} KB)`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const results = await buildExtension({ extension: process.argv[2] });
  let over = false;
  for (const r of results) {
    const ok = r.bytes <= BUDGET_BYTES;
    over ||= !ok;
    console.log(
      `${ok ? "ok  " : "OVER"} ${r.target.padEnd(44)} ${path.relative(root, r.file).padEnd(60)} ${formatSize(r.bytes).padEnd(20)} gzip ${formatSize(r.gzipBytes)}`,
    );
  }
  console.log(`budget ${formatSize(BUDGET_BYTES)} minified per bundle; Shopify limit ${formatSize(SHOPIFY_LIMIT_BYTES)}`);
  if (over) {
    console.error(`Extension bundle over the ${BUDGET_BYTES / 1024} KB budget.`);
    process.exit(1);
  }
}
