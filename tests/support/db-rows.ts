import { databaseState } from "./db-state";

export type Row = Record<string, unknown>;

/** `shop`'s rows of every per-shop table, parsed: table → rows (in primary key order). */
export async function shopRows(shop: string): Promise<Record<string, Row[]>> {
  const state = await databaseState(shop);
  return Object.fromEntries(Object.entries(state).map(([table, json]) => [table, JSON.parse(json) as Row[]]));
}
