import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { Prisma, PrismaClient } from "@prisma/client";
import BetterSqlite3, { type Database, type Statement } from "better-sqlite3";
import { startBackgroundCheckpoints } from "./db-checkpoint.server";
import { env } from "./env.server";

/**
 * The one PrismaClient and its one SQLite connection. It runs on Prisma's JavaScript engine through the
 * better-sqlite3 driver adapter (docs/decisions/001-prisma-js-engine.md). WAL lets readers work while a webhook
 * writes; the busy timeout makes concurrent writers wait instead of failing.
 *
 * The same connection also serves `rawSql`: prepared statements run directly by better-sqlite3, for the hot paths
 * where Prisma's per-query cost dominates (docs/decisions/012-webhook-hot-path.md). They only ever run inside a
 * Prisma interactive transaction (models/transaction.server.ts `createGroupCommit`), so Prisma's transaction lock
 * orders them with everything else.
 */
function createClient(url: string) {
  // Timestamps as integer milliseconds: compact, fast to range-scan, and what raw SQL aggregates expect.
  const factory = new PrismaBetterSQLite3({ url, timeout: 5000 }, { timestampFormat: "unixepoch-ms" });
  let connection: Database | null = null;
  // The adapter opens the connection lazily; keep a handle on it for `rawSql`.
  const adapter = Object.assign(Object.create(Object.getPrototypeOf(factory)) as typeof factory, factory, {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const opened = await factory.connect();
      connection = (opened as unknown as { client: Database }).client;
      return opened;
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  });
  const client = new PrismaClient({ adapter });
  return { client, connection: () => connection };
}

declare global {
  // Reused across dev-server reloads so we do not leak connections.
  var __afterglowPrisma: { client: PrismaClient; connection: () => Database | null; ready: Promise<void>; reader?: SqlReader } | undefined;
}

async function applyPragmas(client: PrismaClient) {
  await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await client.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await client.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await client.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  // Temporary structures in memory: above all the savepoint journal of each event in a group commit, which otherwise
  // spills to a temp file past 64 KiB and costs write() calls on every event (decision 019).
  await client.$queryRawUnsafe("PRAGMA temp_store = MEMORY");
  await dropValueSamples(client);
}

/**
 * Keeps the planner's table statistics (sqlite_stat1) but not STAT4's value samples (docs/decisions/019-webhook-throughput.md).
 * This SQLite build has STAT4, so an `ANALYZE` or `PRAGMA optimize` run on the file writes samples; with samples,
 * SQLite re-plans a prepared statement every time a value compared with an indexed column is bound again, and every
 * statement here starts with `shop = ?`: each execution of the hot path's statements was compiled anew (the order
 * webhook went from 230 to 370 µs of SQL). Shop-scoped lookups have no use for per-value samples.
 */
export async function dropValueSamples(client: Pick<PrismaClient, "$queryRawUnsafe" | "$executeRawUnsafe">) {
  const [table] = await client.$queryRawUnsafe<unknown[]>("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat4'");
  if (!table) return;
  const removed = await client.$executeRawUnsafe("DELETE FROM sqlite_stat4");
  // Statistics are read when the schema is loaded: reload them without the samples.
  if (removed > 0) await client.$executeRawUnsafe("ANALYZE sqlite_schema");
}

function init() {
  const { client, connection } = createClient(env.DATABASE_URL);
  return { client, connection, ready: applyPragmas(client), reader: undefined as SqlReader | undefined };
}

const holder = (globalThis.__afterglowPrisma ??= init());

export const prisma = holder.client;
/** Resolves once the connection pragmas are applied; start-up awaits it. */
export const dbReady = holder.ready;
export type Db = typeof prisma;

/** What the hot-path models need from a transaction: Prisma's tagged-template raw queries. */
export interface SqlClient {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T>;
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<number>;
}

interface Prepared {
  statement: Statement;
  /** Result columns declared DATETIME, returned as Date like Prisma does. */
  dates: string[];
}

const MAX_CACHED_STATEMENTS = 500;
/** Prepared statements per connection (the writer's and the reader's). */
const statementCaches = new WeakMap<Database, Map<string, Prepared>>();

function prepare(db: Database, sql: string): Prepared {
  let statements = statementCaches.get(db);
  if (!statements) statementCaches.set(db, (statements = new Map()));
  let prepared = statements.get(sql);
  if (!prepared) {
    const statement = db.prepare(sql);
    const dates = statement.reader ? statement.columns().filter((c) => c.type?.toUpperCase() === "DATETIME").map((c) => c.name) : [];
    prepared = { statement, dates };
    if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
    statements.set(sql, prepared);
  }
  return prepared;
}

function toArg(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}

function fromColumn(value: unknown): unknown {
  if (typeof value === "bigint" && value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(value);
  return value;
}

/** Prisma.sql's fragment class (the client does not export it at runtime). */
const SqlFragment = (Prisma.empty as object).constructor;

/** Statements by the strings array of the tagged template that wrote them (the same array on every call of a call site). */
const templateCaches = new WeakMap<Database, WeakMap<TemplateStringsArray, Prepared>>();

/**
 * The prepared statement and arguments of a query. A tagged template whose values are all plain parameters (no
 * nested Prisma.sql fragment) is looked up by its strings array: no SQL text is built or hashed on the hot path.
 * Anything else goes through Prisma.sql and is looked up by its text.
 */
function bind(db: Database, query: TemplateStringsArray | Prisma.Sql, values: unknown[]): { prepared: Prepared; args: unknown[] } {
  if (Array.isArray(query) && !values.some((v) => v instanceof SqlFragment)) {
    const strings = query as TemplateStringsArray;
    let templates = templateCaches.get(db);
    if (!templates) templateCaches.set(db, (templates = new WeakMap()));
    let prepared = templates.get(strings);
    if (!prepared) templates.set(strings, (prepared = prepare(db, strings.join("?"))));
    return { prepared, args: values.map(toArg) };
  }
  // An already-built Prisma.sql fragment, or a template with nested fragments.
  const sql = Array.isArray(query) ? Prisma.sql(query as TemplateStringsArray, ...values) : (query as Prisma.Sql);
  return { prepared: prepare(db, sql.sql), args: sql.values.map(toArg) };
}

function queryAll<T>(db: Database, query: TemplateStringsArray | Prisma.Sql, values: unknown[]): T {
  const { prepared, args } = bind(db, query, values);
  const { statement, dates } = prepared;
  const rows = statement.all(...args) as Record<string, unknown>[];
  for (const row of rows) {
    for (const key of Object.keys(row)) row[key] = fromColumn(row[key]);
    for (const key of dates) if (typeof row[key] === "number") row[key] = new Date(row[key] as number);
  }
  return rows as T;
}

/**
 * Prisma's raw-query API over prepared statements on the Prisma connection, run synchronously by better-sqlite3.
 * Integers come back as numbers (bigint beyond 2^53), DATETIME columns as Date, as from `prisma.$queryRaw`.
 */
export function rawSql(): SqlClient {
  const db = holder.connection();
  if (!db) throw new Error("rawSql() before the database connection was opened");
  return {
    $queryRaw<T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      return Promise.resolve(queryAll<T>(db, query, values));
    },
    $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      const { prepared, args } = bind(db, query, values);
      return Promise.resolve(prepared.statement.run(...args).changes);
    },
  };
}

/** What the read connection offers: SELECTs only. */
export interface SqlReader {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T>;
}

/** The SQLite file of a `file:` DATABASE_URL, as the Prisma adapter resolves it (relative to the working directory). */
function sqlitePath(url: string): string {
  return url.replace(/^file:/, "").replace(/\?.*$/, "");
}

function openReader(): SqlReader {
  const db = new BetterSqlite3(sqlitePath(env.DATABASE_URL), { fileMustExist: true, timeout: 5000 });
  db.pragma("query_only = 1");
  return {
    $queryRaw<T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      return Promise.resolve(queryAll<T>(db, query, values));
    },
  };
}

/**
 * A second connection, for the admin pages' aggregate reads (docs/decisions/017-read-connection.md): prepared
 * statements without Prisma's per-query cost, reading only committed data (WAL gives it its own snapshot per
 * statement), never inside a transaction of the writer. `query_only` makes any write through it fail.
 * The same tagged-template API as `prisma.$queryRaw`, with the same result types as `rawSql`. Opened on first use
 * and kept beside the Prisma client, so dev-server reloads reuse it too.
 */
export function readSql(): SqlReader {
  return (holder.reader ??= openReader());
}

/**
 * Moves WAL checkpoints off the event loop (app/db-checkpoint.server.ts): called once by server start-up, after
 * `dbReady`. Resolves to a stop function.
 */
export function startDatabaseCheckpoints(): Promise<() => Promise<void>> {
  return startBackgroundCheckpoints(sqlitePath(env.DATABASE_URL), {
    setAutocheckpoint: (pages) => void holder.connection()?.pragma(`wal_autocheckpoint = ${Math.trunc(pages)}`),
  });
}
