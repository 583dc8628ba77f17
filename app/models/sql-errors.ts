import { Prisma } from "@prisma/client";

/**
 * The SQLSTATE of a failed database call, whichever client made it: node-postgres (`sqlOn`, `readSql`: a
 * `DatabaseError` carrying `code`), Prisma's raw queries through the pg adapter (P2010, the server's code in
 * `meta.driverAdapterError.cause.originalCode`) or Prisma's model queries (P2002 a unique violation, P2034 a write
 * conflict, each mapped back to its SQLSTATE when the adapter's cause is absent). Null for anything else.
 */
export function sqlState(error: unknown): string | null {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    const cause = (error.meta as { driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined)?.driverAdapterError?.cause;
    if (typeof cause?.originalCode === "string" && SQLSTATE.test(cause.originalCode)) return cause.originalCode;
    return PRISMA_CODES[error.code] ?? null;
  }
  if (!(error instanceof Error)) return null;
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  // A server error always names its severity; Node's own errors (ECONNRESET…) and others' codes do not.
  return typeof code === "string" && SQLSTATE.test(code) && typeof severity === "string" ? code : null;
}

/**
 * A lost lock conflict: PostgreSQL rolled the work back as a deadlock victim (40P01) or for a serialization failure
 * (40001). Not a fault of the work: run again later, it goes through.
 */
export function isLockConflict(error: unknown): boolean {
  const state = sqlState(error);
  return state === "40P01" || state === "40001";
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Prisma's own codes for the server errors it maps (when the adapter's original code is not attached). */
const PRISMA_CODES: Record<string, string> = { P2002: "23505", P2034: "40001" };
