/**
 * The project's migration runner (docs/decisions/025-postgresql.md). Applies every `prisma/migrations/<name>/
 * migration.sql` not yet applied, in name order, each whole (one simple-protocol query, so dollar-quoted PL/pgSQL
 * stays intact) and in its own transaction with its bookkeeping row. Several app instances may start at once: an
 * advisory lock lets one migrate while the others wait, and then find nothing left to do. A migration changed after
 * it was applied is refused, naming it.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

export const MIGRATIONS_TABLE = "_afterglow_migrations";
/** The project's checked-in migrations. */
export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "..", "..", "prisma", "migrations");
/** pg_advisory_lock key of the runner (any fixed 64-bit number; this one spells "afterglw" in ASCII). */
const LOCK_KEY = "7018141395094267767";

export class MigrationError extends Error {
  name = "MigrationError";
}

/** The migrations in `dir`, in the order they apply: `{ name, sql, checksum }`. */
export function readMigrations(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Brings the database of `connectionString` up to date with the migrations in `dir`. Resolves to the names applied
 * now (empty when it was up to date).
 */
export async function migrate(connectionString, dir) {
  const migrations = readMigrations(dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`);
    const applied = new Map(rows.map((row) => [row.name, row.checksum]));
    const known = new Set(migrations.map((m) => m.name));
    for (const name of applied.keys()) {
      if (!known.has(name)) throw new MigrationError(`The database has migration ${name}, which this version of the app does not know: is it older than the database?`);
    }
    const done = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) throw new MigrationError(`Migration ${migration.name} was changed after it was applied; add a new migration instead.`);
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum) VALUES ($1, $2)`, [migration.name, migration.checksum]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new MigrationError(`Migration ${migration.name} failed and was rolled back: ${error instanceof Error ? error.message : String(error)}`);
      }
      done.push(migration.name);
    }
    return done;
  } finally {
    await client.end();
  }
}
