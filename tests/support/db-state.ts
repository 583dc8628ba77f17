import { prisma } from "~/db.server";

/**
 * Every row of every app table, as JSON text per table: two calls around a request prove it wrote nothing
 * (or, filtered by shop, that it did not touch another shop's rows).
 */
export async function tableNames(): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name::text AS "name" FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_%' ORDER BY table_name`,
  );
  return rows.map((r) => r.name);
}

/** Tables that have a `shop` column (every per-shop table, by the schema's rule). */
export async function shopTables(): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name::text AS "name" FROM information_schema.columns
     WHERE table_schema = current_schema() AND column_name = 'shop' AND table_name NOT LIKE '\\_%' ORDER BY table_name`,
  );
  return rows.map((r) => r.name);
}

/** bigint columns as JSON numbers while exact (every amount is capped at 2^53 - 1), as digits beyond. */
const stringify = (rows: unknown[]) =>
  JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? (Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()) : value));

/** The table's primary key columns, quoted, for a stable row order (PostgreSQL has no rowid). */
async function keyOrder(table: string): Promise<string> {
  const rows = await prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT a.attname::text AS "name" FROM pg_index i
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    `"${table}"`,
  );
  return rows.length ? rows.map((r) => `"${r.name}"`).join(", ") : "1";
}

/** All rows of all tables, or only `shop`'s rows of the per-shop tables. */
export async function databaseState(shop?: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const table of shop ? await shopTables() : await tableNames()) {
    const order = await keyOrder(table);
    const rows = shop
      ? await prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${table}" WHERE "shop" = $1 ORDER BY ${order}`, shop)
      : await prisma.$queryRawUnsafe<unknown[]>(`SELECT * FROM "${table}" ORDER BY ${order}`);
    state[table] = stringify(rows);
  }
  return state;
}
