import path from "node:path";
import { createDatabase, dropDatabase } from "../../scripts/lib/embedded-postgres.mjs";
import { migrate } from "../../scripts/lib/migrations.mjs";
import { ROOT } from "./paths";

export const MIGRATIONS_DIR = path.join(ROOT, "prisma", "migrations");

/** The URL of database `name` on the server of `adminUrl` (a URL naming any database on it). */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** (Re)creates database `name` on the server of `adminUrl` with every checked-in migration applied. */
export async function migrateFreshDatabase(adminUrl: string, name: string): Promise<string> {
  await dropDatabase(adminUrl, name);
  await createDatabase(adminUrl, name);
  const url = databaseUrl(adminUrl, name);
  await migrate(url, MIGRATIONS_DIR);
  return url;
}

/** A new database `name`, a copy of `template` (which nobody may be connected to). */
export async function copyDatabase(adminUrl: string, template: string, name: string): Promise<string> {
  await createDatabase(adminUrl, name, { template });
  return databaseUrl(adminUrl, name);
}

export { dropDatabase };
