import type pg from "pg";
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import type { SqlTx, Tx } from "~/models/transaction.server";

/** A node of an EXPLAIN (FORMAT JSON) plan, with the fields the plan checks read. */
export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  Plans?: PlanNode[];
}

/** Every node of a plan, the root first (subplans and CTEs included: they are children in the JSON). */
export function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/** Rows a scan node read: what it returned and what its filter dropped, over every loop. */
export function rowsReadBy(node: PlanNode): number {
  return ((node["Actual Rows"] ?? 0) + (node["Rows Removed by Filter"] ?? 0)) * (node["Actual Loops"] ?? 1);
}

/** A recorded statement's values as node-postgres sends them to a prepared statement (no undefined, no bigint). */
export function driverValues(values: unknown[]): unknown[] {
  return values.map((v) => (v === undefined ? null : typeof v === "bigint" ? v.toString() : v));
}

/**
 * The statements a model function sends through its transaction client, with their parameters, as `$queryRaw`
 * builds them (they are recorded, not run: the plans are what is checked).
 */
export async function recordedStatements(
  run: (tx: SqlTx) => Promise<unknown>
): Promise<{ text: string; values: unknown[] }[]> {
  const statements: { text: string; values: unknown[] }[] = [];
  const record = (strings: TemplateStringsArray, ...values: unknown[]) => {
    const query = Prisma.sql(strings, ...values);
    statements.push({ text: query.text, values: query.values });
    return Promise.resolve([]);
  };
  await run({ $queryRaw: record, $executeRaw: record } as unknown as SqlTx);
  return statements;
}

/**
 * What `run` sends on `client`, planned and run inside a transaction that is rolled back afterwards, with each
 * statement's executed plan as auto_explain reports it (sent to this client as notices). `settings` are further
 * `SET LOCAL` lines, made after auto_explain is loaded (e.g. `auto_explain.log_nested_statements = on`).
 */
export async function autoExplained(
  client: pg.Client,
  run: () => Promise<unknown>,
  settings: string[] = [],
): Promise<{ query: string; nodes: PlanNode[] }[]> {
  const notices: string[] = [];
  const onNotice = (notice: { message?: string }) => notices.push(notice.message ?? "");
  client.on("notice", onNotice);
  await client.query("BEGIN");
  try {
    await client.query(`LOAD 'auto_explain'`);
    for (const setting of ["auto_explain.log_min_duration = 0", "auto_explain.log_format = json", "auto_explain.log_level = notice", ...settings]) {
      await client.query(`SET LOCAL ${setting}`);
    }
    await run();
  } finally {
    await client.query("ROLLBACK");
    client.off("notice", onNotice);
  }
  return notices
    .filter((message) => message.includes("{"))
    .map((message) => JSON.parse(message.slice(message.indexOf("{"))) as { "Query Text": string; Plan: PlanNode })
    .map((explained) => ({ query: explained["Query Text"], nodes: nodesOf(explained.Plan) }));
}

/** Runs `work` in a transaction that is always rolled back, and returns what it returned. */
export async function rolledBack<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  let result: { value: T } | null = null;
  await prisma
    .$transaction(async (tx) => {
      result = { value: await work(tx) };
      throw new Error("roll back");
    })
    .catch((error: unknown) => {
      if (!(error instanceof Error) || error.message !== "roll back") throw error;
    });
  return result!.value;
}
