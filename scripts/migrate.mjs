#!/usr/bin/env node
/**
 * `npm run setup` / `npm run start:migrate`: applies the checked-in migrations to the database of DATABASE_URL
 * (scripts/lib/migrations.mjs). Safe to run from several instances at once.
 */
import { migrate, MIGRATIONS_DIR } from "./lib/migrations.mjs";

const url = process.env.DATABASE_URL;
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  console.error("DATABASE_URL must be a postgresql:// URL (npm run demo and npm test start their own database).");
  process.exit(1);
}
try {
  const applied = await migrate(url, MIGRATIONS_DIR);
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "The database is up to date.");
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
