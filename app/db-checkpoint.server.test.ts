import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { BACKSTOP_PAGES, DEFAULT_AUTOCHECKPOINT_PAGES, startBackgroundCheckpoints } from "./db-checkpoint.server";

// A real SQLite file in WAL mode with a writer connection like the app's, and the real worker thread.
const dirs: string[] = [];
const stops: (() => Promise<void>)[] = [];
const writers: Database.Database[] = [];

function openWriter() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "afterglow-checkpoint-"));
  dirs.push(dir);
  const file = path.join(dir, "db.sqlite");
  const db = new Database(file);
  writers.push(db);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec("CREATE TABLE blob (id INTEGER PRIMARY KEY, data BLOB)");
  const settings: number[] = [];
  const writer = {
    setAutocheckpoint: (pages: number) => {
      settings.push(pages);
      db.pragma(`wal_autocheckpoint = ${pages}`);
    },
  };
  return { db, file, writer, settings };
}

const autocheckpoint = (db: Database.Database) => db.pragma("wal_autocheckpoint", { simple: true }) as number;

async function waitFor(check: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  for (const db of writers.splice(0)) db.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("background WAL checkpoints", () => {
  it("copies committed pages into the database file while the writer only appends to the WAL", async () => {
    const { db, file, writer, settings } = openWriter();
    stops.push(await startBackgroundCheckpoints(file, writer));
    // The writer's own checkpoint is now only a backstop far above what this test writes.
    expect(settings).toEqual([BACKSTOP_PAGES]);
    expect(autocheckpoint(db)).toBe(BACKSTOP_PAGES);

    const before = fs.statSync(file).size;
    const insert = db.prepare("INSERT INTO blob (data) VALUES (?)");
    for (let i = 0; i < 64; i++) insert.run(Buffer.alloc(16 * 1024, i)); // 1 MiB in 64 commits
    // Only a checkpoint writes pages into the database file; the writer was never asked to make one.
    await waitFor(() => fs.statSync(file).size >= before + 1024 * 1024);
    expect(db.prepare("SELECT COUNT(*) AS n FROM blob").get()).toEqual({ n: 64 });
  });

  it("restores SQLite's default checkpoint on the writer when stopped", async () => {
    const { db, file, writer, settings } = openWriter();
    const stop = await startBackgroundCheckpoints(file, writer);
    await stop();
    expect(settings).toEqual([BACKSTOP_PAGES, DEFAULT_AUTOCHECKPOINT_PAGES]);
    expect(autocheckpoint(db)).toBe(DEFAULT_AUTOCHECKPOINT_PAGES);
  });

  it("leaves the writer checkpointing itself when the worker cannot open the database", async () => {
    const { db, writer, settings } = openWriter();
    stops.push(await startBackgroundCheckpoints(path.join(os.tmpdir(), "afterglow-no-such-dir", "missing.sqlite"), writer));
    expect(settings).toEqual([]);
    expect(autocheckpoint(db)).toBe(DEFAULT_AUTOCHECKPOINT_PAGES);
  });
});
