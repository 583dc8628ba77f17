import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { migrateFreshDatabase } from "../../support/migrate";
import { FAULTS_LOGS, FAULTS_TEMPLATE_DB, ROOT } from "./paths";

/** Newest modification time of the files under `dir` (recursively). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * The fault suite runs the production build (build/, what `npm start` serves) as real server processes.
 * It reuses an existing build unless a source file is newer, then migrates one template database that every
 * server run copies.
 */
export default function setup() {
  const entry = path.join(ROOT, "build", "server", "index.js");
  const sources = Math.max(newestMtime(path.join(ROOT, "app")), fs.statSync(path.join(ROOT, "server.mjs")).mtimeMs);
  if (!fs.existsSync(entry) || fs.statSync(entry).mtimeMs < sources) {
    console.log("faults: building the production app (npm run build)");
    execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" });
  }
  migrateFreshDatabase(FAULTS_TEMPLATE_DB);
  fs.rmSync(FAULTS_LOGS, { recursive: true, force: true });
  fs.mkdirSync(FAULTS_LOGS, { recursive: true });
}
