import { prisma } from "~/db.server";

/**
 * Every row of every app table, as JSON text per table: two calls around a request prove it wrote nothing
 * (or, filtered by shop, that it did not touch another shop's rows).
 */
export async function tableNames(): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT "name" FROM "sqlite_master" WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite_%' AND "name" NOT LIKE '_prisma_%' ORDER BY "name"`,
  );
  return rows.map((r) => r.name);
}

/** Tables that have a `shop` column (every per-shop table, by the schema's rule). */
export async function shopTables(): Promise<string[]> {
  const out: string[] = [];
  for (const table of await tableNames()) {
    const columns = await prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT "name" FROM pragma_table_info('${table}')`);
    if (columns.some((c) => c.name === "shop")) out.push(table);
  }
  return out;
}

const stringify = (rows: unknown[]) => JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));

/** All rows of all tables, or only `shop`'s rows of the per-shop tables. */
export async function databaseState(shop?: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const table of shop ? await shopTables() : await tableNames()) {
    const rows = shop
      ? await prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${table}" WHERE "shop" = ? ORDER BY rowid`, shop)
      : await prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${table}" ORDER BY rowid`);
    state[table] = stringify(rows);
  }
  return state;
}
