import fs from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { MIGRATIONS_TABLE, MigrationError, migrate, readMigrations } from "../../../scripts/lib/migrations.mjs";
import { createDatabase, dropDatabase } from "../../../scripts/lib/embedded-postgres.mjs";
import { databaseUrl, MIGRATIONS_DIR } from "../../support/migrate";
import { TMP } from "../../support/paths";

// The project's migration runner (scripts/lib/migrations.mjs) against this run's real PostgreSQL server.
const adminUrl = inject("pgAdminUrl");
const created: string[] = [];
const dirs: string[] = [];

async function freshDatabase(): Promise<string> {
  const name = `migrations_${randomUUID().slice(0, 8)}`;
  await createDatabase(adminUrl, name);
  created.push(name);
  return databaseUrl(adminUrl, name);
}

/** A migrations folder holding `files` (folder name → SQL). */
function migrationsDir(files: Record<string, string>): string {
  const dir = path.join(TMP, `migrations-${randomUUID().slice(0, 8)}`);
  for (const [name, sql] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, name), { recursive: true });
    fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  dirs.push(dir);
  return dir;
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const name of created) await dropDatabase(adminUrl, name);
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the migration runner", () => {
  it("applies the project's migrations in name order to an empty database, then finds nothing to do", async () => {
    const url = await freshDatabase();
    const names = readMigrations(MIGRATIONS_DIR).map((m: { name: string }) => m.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names).toEqual([...names].sort());
    expect(await migrate(url, MIGRATIONS_DIR)).toEqual(names);
    expect(await migrate(url, MIGRATIONS_DIR)).toEqual([]);
    const applied = await query<{ name: string }>(url, `SELECT name FROM "${MIGRATIONS_TABLE}" ORDER BY name`);
    expect(applied.map((r) => r.name)).toEqual(names);
    const tables = await query<{ n: string }>(url, `SELECT count(*)::text AS n FROM information_schema.tables WHERE table_name = 'Order'`);
    expect(tables[0]!.n).toBe("1");
  });

  it("sends each file whole: dollar-quoted PL/pgSQL with semicolons inside is one function", async () => {
    const url = await freshDatabase();
    const dir = migrationsDir({
      "001_function": `CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE plpgsql AS $$
        DECLARE y integer;
        BEGIN y := x * 2; RETURN y; END;
      $$;
      CREATE TABLE t (v integer);`,
    });
    expect(await migrate(url, dir)).toEqual(["001_function"]);
    expect(await query<{ v: number }>(url, "SELECT twice(21) AS v")).toEqual([{ v: 42 }]);
  });

  it("rolls a failing migration back whole, names it, and applies it once it is fixed", async () => {
    const url = await freshDatabase();
    const files = { "001_ok": "CREATE TABLE a (v integer);", "002_broken": "CREATE TABLE b (v integer); INSERT INTO b VALUES ('not a number');" };
    const error = await migrate(url, migrationsDir(files)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/^Migration 002_broken failed and was rolled back: /);
    // The first migration stays applied; nothing of the broken one is left behind.
    expect(await query<{ table_name: string }>(url, "SELECT table_name FROM information_schema.tables WHERE table_name IN ('a', 'b') ORDER BY 1")).toEqual([
      { table_name: "a" },
    ]);
    expect(await query<{ name: string }>(url, `SELECT name FROM "${MIGRATIONS_TABLE}"`)).toEqual([{ name: "001_ok" }]);
    const fixed = migrationsDir({ ...files, "002_broken": "CREATE TABLE b (v integer); INSERT INTO b VALUES (7);" });
    expect(await migrate(url, fixed)).toEqual(["002_broken"]);
    expect(await query<{ v: number }>(url, "SELECT v FROM b")).toEqual([{ v: 7 }]);
  });

  it("refuses a migration changed after it was applied, naming it, and changes nothing", async () => {
    const url = await freshDatabase();
    await migrate(url, migrationsDir({ "001_a": "CREATE TABLE a (v integer);" }));
    const changed = migrationsDir({ "001_a": "CREATE TABLE a (v bigint);", "002_b": "CREATE TABLE b (v integer);" });
    await expect(migrate(url, changed)).rejects.toThrow("Migration 001_a was changed after it was applied; add a new migration instead.");
    expect(await query(url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'b'")).toEqual([]);
  });

  it("refuses to run an app older than its database (a migration it does not know)", async () => {
    const url = await freshDatabase();
    await migrate(url, migrationsDir({ "001_a": "SELECT 1;", "002_b": "SELECT 2;" }));
    await expect(migrate(url, migrationsDir({ "001_a": "SELECT 1;" }))).rejects.toThrow(/has migration 002_b, which this version of the app does not know/);
  });

  it("lets several instances start at once: each migration is applied exactly once", async () => {
    const url = await freshDatabase();
    // A slow migration keeps the first runner inside its lock while the others arrive.
    const dir = migrationsDir({ "001_slow": "SELECT pg_sleep(0.3); CREATE TABLE once (v integer); INSERT INTO once VALUES (1);", "002_more": "INSERT INTO once VALUES (2);" });
    const results = await Promise.all([migrate(url, dir), migrate(url, dir), migrate(url, dir)]);
    expect(results.flat().sort()).toEqual(["001_slow", "002_more"]);
    expect(results.filter((r) => r.length === 2)).toHaveLength(1);
    expect(await query<{ v: number }>(url, "SELECT v FROM once ORDER BY v")).toEqual([{ v: 1 }, { v: 2 }]);
  });
});
