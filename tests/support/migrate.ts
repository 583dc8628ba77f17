import { createDatabase, databaseUrl, dropDatabase, migrateFreshDatabase } from "../../scripts/lib/embedded-postgres.mjs";
import { MIGRATIONS_DIR } from "../../scripts/lib/migrations.mjs";

/** A new database `name`, a copy of `template` (which nobody may be connected to). */
export async function copyDatabase(adminUrl: string, template: string, name: string): Promise<string> {
  await createDatabase(adminUrl, name, { template });
  return databaseUrl(adminUrl, name);
}

export { databaseUrl, dropDatabase, migrateFreshDatabase, MIGRATIONS_DIR };
