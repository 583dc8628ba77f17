import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../../scripts/lib/embedded-postgres.mjs";
import { migrateFreshDatabase } from "../../support/migrate";
import { FAULTS_LOGS, FAULTS_TEMPLATE_DB, faultsClusterDir, ROOT } from "./paths";

declare module "vitest" {
  export interface ProvidedContext {
    /** A URL of this run's PostgreSQL server (its `postgres` database), for creating and dropping databases. */
    pgAdminUrl: string;
    /** This run's migrated template database; each scenario works on a copy. */
    templateDb: string;
  }
}

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
 * It reuses an existing build unless a source file is newer, then starts this run's own PostgreSQL server (from npm,
 * deleted afterwards) with production durability — fsync and synchronous_commit on, as a managed PostgreSQL runs:
 * the crash tests kill app processes mid-commit and rely on what PostgreSQL acknowledged being on disk — and
 * migrates one template database that every scenario copies.
 */
export default async function setup(project: TestProject) {
  const entry = path.join(ROOT, "build", "server", "index.js");
  const sources = Math.max(newestMtime(path.join(ROOT, "app")), fs.statSync(path.join(ROOT, "server.mjs")).mtimeMs);
  if (!fs.existsSync(entry) || fs.statSync(entry).mtimeMs < sources) {
    console.log("faults: building the production app (npm run build)");
    execFileSync("npm", ["run", "--silent", "build"], { cwd: ROOT, stdio: "inherit" });
  }
  const server = await startEmbeddedPostgres({ dir: faultsClusterDir(process.pid), persistent: false });
  await migrateFreshDatabase(server.url(), FAULTS_TEMPLATE_DB);
  const client = new pg.Client({ connectionString: server.url() });
  await client.connect();
  try {
    const show = async (name: string) => String((await client.query(`SHOW ${name}`)).rows[0]?.[name]);
    console.log(`faults: PostgreSQL ${await show("server_version")}, fsync ${await show("fsync")}, synchronous_commit ${await show("synchronous_commit")}`);
  } finally {
    await client.end();
  }
  project.provide("pgAdminUrl", server.url());
  project.provide("templateDb", FAULTS_TEMPLATE_DB);
  fs.rmSync(FAULTS_LOGS, { recursive: true, force: true });
  fs.mkdirSync(FAULTS_LOGS, { recursive: true });
  return async () => {
    await server.stop();
  };
}
