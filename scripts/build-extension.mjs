#!/usr/bin/env node
/**
 * Builds the checkout / customer-account UI extension the way the Shopify CLI does (esbuild: bundle, ESM, minify,
 * automatic JSX from Preact, es2020, production NODE_ENV) into extensions/post-purchase-survey/dist/, prints each
 * bundle's size and fails above the house budget of 25 KB (Shopify refuses anything above 64 KB).
 *
 *   node scripts/build-extension.mjs            # AFTERGLOW_APP_URL=https://… to point the bundle at your backend
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const EXTENSION_DIR = path.join(root, "extensions/post-purchase-survey");
export const BUDGET_BYTES = 25 * 1024;
export const SHOPIFY_LIMIT_BYTES = 64 * 1024;
export const DEFAULT_APP_URL = "https://afterglow.example.com";
const TARGETS = [
  { target: "purchase.thank-you.block.render", entry: "src/ThankYou.tsx", out: "thank-you.js" },
  { target: "customer-account.order-status.block.render", entry: "src/OrderStatus.tsx", out: "order-status.js" },
];

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

/** @returns {Promise<{target: string, file: string, bytes: number}[]>} */
export async function buildExtension({ appUrl = process.env.AFTERGLOW_APP_URL || DEFAULT_APP_URL, outdir = path.join(EXTENSION_DIR, "dist") } = {}) {
  const esbuild = await loadEsbuild();
  fs.mkdirSync(outdir, { recursive: true });
  const results = [];
  for (const { target, entry, out } of TARGETS) {
    const outfile = path.join(outdir, out);
    await esbuild.build({
      entryPoints: [path.join(EXTENSION_DIR, entry)],
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
    results.push({ target, file: outfile, bytes: fs.statSync(outfile).size });
  }
  return results;
}

export const formatSize = (bytes) => `${bytes} B (${(bytes / 1024).toFixed(1)} KB)`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const results = await buildExtension();
  let over = false;
  for (const r of results) {
    const ok = r.bytes <= BUDGET_BYTES;
    over ||= !ok;
    console.log(`${ok ? "ok  " : "OVER"} ${r.target.padEnd(44)} ${path.relative(root, r.file).padEnd(52)} ${formatSize(r.bytes)}`);
  }
  console.log(`budget ${formatSize(BUDGET_BYTES)}; Shopify limit ${formatSize(SHOPIFY_LIMIT_BYTES)}`);
  if (over) {
    console.error("Extension bundle over the 25 KB budget.");
    process.exit(1);
  }
}
