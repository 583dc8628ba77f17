/**
 * Structured one-line JSON logs. Callers pass identifiers (shop, topic, webhook id, counts, reasons),
 * never customer data: no emails, names, addresses or comment text.
 */
type Level = "debug" | "info" | "warn" | "error";
type Fields = Record<string, string | number | boolean | null | undefined>;

const quiet = process.env.NODE_ENV === "test" && !process.env.AFTERGLOW_LOG;

function write(level: Level, message: string, fields: Fields = {}) {
  if (quiet && level !== "error") return;
  const line = JSON.stringify({ level, msg: message, ...fields, at: new Date().toISOString() });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export const log = {
  debug: (message: string, fields?: Fields) => write("debug", message, fields),
  info: (message: string, fields?: Fields) => write("info", message, fields),
  warn: (message: string, fields?: Fields) => write("warn", message, fields),
  error: (message: string, fields?: Fields) => write("error", message, fields),
};

export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
