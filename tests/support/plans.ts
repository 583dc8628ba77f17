import { Prisma } from "@prisma/client";
import type { SqlTx } from "~/models/transaction.server";

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
