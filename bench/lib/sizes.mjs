// What ships: the checkout extension bundles, and the admin JavaScript the dashboard route loads (gzip).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import zlib from "node:zlib";

async function extensionBytes(root) {
  const { buildExtension } = await import(pathToFileURL(path.join(root, "scripts/build-extension.mjs")).href);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "afterglow-ext-"));
  try {
    const built = await buildExtension({ outdir });
    return built.map((e) => ({ ...e, gzipBytes: zlib.gzipSync(fs.readFileSync(e.file), { level: 9 }).length }));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The JavaScript a browser loads for the dashboard: the client entry, and the root, app layout and dashboard route
 * modules with their imports, read from the Remix browser manifest of the production build; gzip level 9.
 */
function dashboardJs(root) {
  const assets = path.join(root, "build", "client", "assets");
  const manifestFile = fs.readdirSync(assets).find((f) => /^manifest-.*\.js$/.test(f));
  const text = fs.readFileSync(path.join(assets, manifestFile), "utf8");
  const manifest = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1));
  const files = new Set();
  const add = (entry) => [entry.module, ...(entry.imports ?? [])].forEach((f) => files.add(f));
  add(manifest.entry);
  for (const id of ["root", "routes/app", "routes/app._index"]) add(manifest.routes[id]);
  const gzipBytes = [...files].reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(root, "build", "client", f)), { level: 9 }).length, 0);
  return { files: files.size, gzipBytes };
}

export async function measureSizes(root) {
  return { extension: await extensionBytes(root), dashboardJs: dashboardJs(root) };
}
