import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { TMP } from "../../tests/support/paths";
import { clearStaleServer, postmasterPid, startLocalDatabase } from "./local-database.mjs";

/**
 * The persistent local database of `npm run demo` and `shopify app dev`: kept between runs, and a run killed
 * outright (kill -9) must not stop the next one from starting, while a run still alive must not be disturbed.
 */
const dir = path.join(TMP, `local-db-test-${process.pid}-${randomUUID().slice(0, 8)}`);
const OWNER = `local-db-owner-${randomUUID().slice(0, 8)}`;
const children: ChildProcess[] = [];
const quiet = () => {};

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  const pid = postmasterPid(dir);
  if (pid) await clearStaleServer(dir, { log: quiet }).catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** A run of the owner script in its own process: starts the database, creates a table, prints READY, waits. */
async function startOwnerRun(): Promise<ChildProcess> {
  const code = `
    const { startLocalDatabase } = await import(${JSON.stringify(path.resolve(import.meta.dirname, "local-database.mjs"))});
    const pg = (await import("pg")).default;
    const db = await startLocalDatabase({ dir: process.argv[1], database: "kept", owner: process.argv[2], log: () => {} });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query("CREATE TABLE IF NOT EXISTS kept_rows (n int)");
    await client.query("INSERT INTO kept_rows VALUES (1)");
    await client.end();
    console.log("READY");
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", code, dir, OWNER], { cwd: path.resolve(import.meta.dirname, "..", ".."), stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("READY")) resolve();
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (status) => reject(new Error(`owner run exited with ${status}: ${output}`)));
  });
  return child;
}

/** Whether process `pid` runs (an exited process its parent has not reaped yet, a zombie, does not). */
const alive = (pid: number) => {
  const stat = spawnSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).stdout.trim();
  return stat !== "" && !stat.startsWith("Z");
};

describe("the local database of the demo and the development server", () => {
  it("refuses a directory a live run uses, takes over after that run is killed outright, and keeps the data", async () => {
    // GIVEN a run that started the database and wrote a row
    const owner = await startOwnerRun();
    const serverPid = postmasterPid(dir)!;
    expect(alive(serverPid)).toBe(true);

    // WHEN a second run starts while the first is alive, THEN it is refused and the first run's server keeps running
    await expect(clearStaleServer(dir, { owner: OWNER, log: quiet })).rejects.toThrow(/in use by another run/);
    expect(alive(serverPid)).toBe(true);

    // WHEN the first run is killed outright (its server survives it) and a new run starts
    const killed = new Promise((resolve) => owner.once("exit", resolve));
    owner.kill("SIGKILL");
    await killed;
    expect(alive(serverPid)).toBe(true);
    const db = await startLocalDatabase({ dir, database: "kept", owner: OWNER, log: quiet });
    try {
      // THEN the left-over server was shut down, a new one serves the same data, and nothing was migrated twice
      expect(alive(serverPid)).toBe(false);
      expect(db.created).toBe(false);
      expect(db.applied).toEqual([]);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query("SELECT count(*)::int AS n FROM kept_rows");
      await client.end();
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await db.stop();
    }
    // AND stop() leaves no server behind
    expect(postmasterPid(dir)).toBeNull();
  }, 120_000);

  it("removes a postmaster.pid that names no server of the directory (a dead pid, or one reused by another process)", async () => {
    fs.mkdirSync(dir, { recursive: true });
    for (const pid of [process.pid, 2 ** 22 + 17]) {
      fs.writeFileSync(path.join(dir, "postmaster.pid"), `${pid}\n${dir}\n`);
      expect(await clearStaleServer(dir, { owner: OWNER, log: quiet })).toBe("removed-pid-file");
      expect(fs.existsSync(path.join(dir, "postmaster.pid"))).toBe(false);
    }
    expect(await clearStaleServer(dir, { owner: OWNER, log: quiet })).toBe("none");
  });
});
