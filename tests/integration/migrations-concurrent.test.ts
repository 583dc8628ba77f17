import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDatabase, dropDatabase } from "../../scripts/lib/embedded-postgres.mjs";
import { MIGRATIONS_TABLE, readMigrations } from "../../scripts/lib/migrations.mjs";
import { databaseUrl, MIGRATIONS_DIR } from "../support/migrate";
import { ROOT } from "../support/paths";

/**
 * Several app instances started together each run `npm run start:migrate` (scripts/migrate.mjs) on one fresh
 * database: two real processes at once, the project's own migrations. The runner's advisory lock makes one migrate
 * while the other waits, then finds nothing left to do.
 */
const run = promisify(execFile);
const adminUrl = inject("pgAdminUrl");
const created: string[] = [];

afterAll(async () => {
  for (const name of created) await dropDatabase(adminUrl, name);
});

describe("migrations started twice at once", () => {
  it("both processes succeed and each migration is applied exactly once", async () => {
    const name = `migrations_concurrent_${randomUUID().slice(0, 8)}`;
    await createDatabase(adminUrl, name);
    created.push(name);
    const url = databaseUrl(adminUrl, name);
    const names = readMigrations(MIGRATIONS_DIR).map((m: { name: string }) => m.name);

    const start = () => run(process.execPath, [path.join(ROOT, "scripts", "migrate.mjs")], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url }, encoding: "utf8" });
    const outputs = (await Promise.all([start(), start()])).map((r) => r.stdout.trim()).sort();

    // One applied them all; the other waited for its lock and found the database up to date.
    expect(outputs).toEqual([`Applied ${names.length} migration(s): ${names.join(", ")}`, "The database is up to date."]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; n: string }>(`SELECT name, count(*)::text AS n FROM "${MIGRATIONS_TABLE}" GROUP BY name ORDER BY name`);
      expect(rows).toEqual(names.map((n: string) => ({ name: n, n: "1" })));
      // What the job-leases migration creates exists once.
      const { rows: tables } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM information_schema.tables WHERE table_name = 'PeriodicRun'`);
      expect(tables).toEqual([{ n: "1" }]);
    } finally {
      await client.end();
    }
  });
});
