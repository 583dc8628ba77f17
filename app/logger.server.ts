/**
 * Structured one-line JSON logs. Callers pass identifiers (shop, topic, webhook id, counts, reasons),
 * never customer data: no emails, names, phone numbers, addresses or comment text. The test run captures every
 * line (tests/support/setup.ts) and fails when one carries such data (tests/support/log-scan.ts).
 */
type Level = "debug" | "info" | "warn" | "error";
type Fields = Record<string, string | number | boolean | null | undefined>;

const quiet = process.env.NODE_ENV === "test" && !process.env.AFTERGLOW_LOG;

/** Receives every line, printed or not. Only the test setup sets one; production never does. */
let tap: ((line: string) => void) | null = null;

/** Test seam: `receive` gets every line the logger produces, including those a quiet test run does not print. */
export function tapLogLines(receive: ((line: string) => void) | null) {
  tap = receive;
}

/** One log line, exactly as written. */
export function formatLogLine(level: Level, message: string, fields: Fields = {}, at = new Date()): string {
  return JSON.stringify({ level, msg: message, ...fields, at: at.toISOString() });
}

function write(level: Level, message: string, fields: Fields = {}) {
  const printed = !quiet || level === "error";
  if (!printed && !tap) return;
  const line = formatLogLine(level, message, fields);
  tap?.(line);
  if (!printed) return;
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  // Straight to stdout: console.log's formatting pass costs more than building the line, once per webhook.
  else process.stdout.write(`${line}\n`);
}

export const log = {
  debug: (message: string, fields?: Fields) => write("debug", message, fields),
  info: (message: string, fields?: Fields) => write("info", message, fields),
  warn: (message: string, fields?: Fields) => write("warn", message, fields),
  error: (message: string, fields?: Fields) => write("error", message, fields),
};

/**
 * What kind of failure `error` is, without its message (which may quote data). A PostgreSQL error adds its SQLSTATE
 * code, the constraint it names and the server routine that raised it: schema names, never values.
 */
export function errorName(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const { code, constraint, routine, meta } = error as { code?: unknown; constraint?: unknown; routine?: unknown; meta?: unknown };
  // Prisma's raw queries wrap the server's error (P2010): name both codes.
  const original = (meta as { driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined)?.driverAdapterError?.cause?.originalCode;
  if (typeof code === "string" && /^P\d{4}$/.test(code)) {
    return typeof original === "string" && /^[0-9A-Z]{5}$/.test(original) ? `prisma ${code}, postgres ${original}` : `prisma ${code}`;
  }
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return error.name;
  const parts = [`postgres ${code}`];
  if (typeof constraint === "string" && /^[\w]{1,63}$/.test(constraint)) parts.push(`constraint ${constraint}`);
  if (typeof routine === "string" && /^\w{1,63}$/.test(routine)) parts.push(`at ${routine}`);
  return parts.join(", ");
}
