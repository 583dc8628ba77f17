import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "@prisma/client";
import pg from "pg";
import { env } from "./env.server";

/**
 * The database: PostgreSQL (docs/decisions/025-postgresql.md). One connection pool per process serves Prisma
 * (through the `@prisma/adapter-pg` driver adapter on Prisma's JavaScript engine, decision 001) and the raw SQL of
 * the hot paths (`sqlOn`, inside a group commit: models/transaction.server.ts). A second, smaller pool whose sessions
 * are read-only serves the admin pages' aggregate reads (`readSql`, decision 017).
 */

/** An int8 or integral numeric as a number, or a bigint beyond 2^53 (exact either way). */
function parseInteger(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

const OID = { INT8: 20, NUMERIC: 1700 } as const;

/**
 * How raw queries read values: bigint and integral numeric (SUM and COUNT of bigint columns) as numbers, exactly
 * (bigint beyond 2^53); a fractional numeric (AVG) as a number; everything else as node-postgres reads it
 * (timestamptz as Date, boolean as boolean). Prisma's own queries use the adapter's parsers instead.
 */
const rawTypes = {
  getTypeParser(oid: number, format?: string) {
    if (oid === OID.INT8) return parseInteger;
    if (oid === OID.NUMERIC) return (text: string) => (/^-?\d+$/.test(text) ? parseInteger(text) : Number(text));
    return pg.types.getTypeParser(oid, format as "text");
  },
} as pg.CustomTypesConfig;

function poolOptions(url: string, size: number, sessionOptions: string, pipeline = false): pg.PoolConfig {
  return { connectionString: url, max: size, types: rawTypes, options: sessionOptions, pipeline };
}

/** The socket of a node-postgres client (not in its types). */
type Corkable = { cork(): void; uncork(): void };

/**
 * On a pipelined connection, the statements sent in one turn of the event loop leave in one write: the socket is
 * corked at the first and uncorked once that turn's code and promise callbacks have run (`process.nextTick`). A
 * group's BEGIN and its claim, or an upsert and the read sent ahead behind it, then cost one system call and wake the
 * server once, instead of once each; on two busy cores each write also handed the CPU to the database before the next
 * statement was sent (decision 056). node-postgres corks around each statement's own messages; this only widens that.
 */
function coalesceWrites(client: pg.PoolClient): void {
  const stream = (client as unknown as { connection?: { stream?: Partial<Corkable> } }).connection?.stream;
  if (typeof stream?.cork !== "function" || typeof stream.uncork !== "function") return;
  const socket = stream as Corkable;
  const query = client.query.bind(client);
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  client.query = ((...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return (query as (...a: unknown[]) => unknown)(...args);
  }) as typeof client.query;
}

function createPools(url: string) {
  // Sessions in UTC whatever the server's default: Prisma's adapter binds and reads instants without an offset, so
  // in any other session time zone its Dates would be shifted by hours against node-postgres's.
  // Pipelined (node-postgres sends a statement without waiting for the one before it to be answered): a raw
  // transaction may send a write whose result it does not need together with the next statement, or with its COMMIT
  // (`sendAhead` in models/transaction.server.ts, decision 053). Statements still run one after the other, in order.
  const pool = new pg.Pool(poolOptions(url, env.DATABASE_POOL_SIZE, "-c TimeZone=UTC", true));
  pool.on("connect", coalesceWrites);
  const reader = new pg.Pool(
    poolOptions(url, Math.max(2, Math.ceil(env.DATABASE_POOL_SIZE / 2)), "-c TimeZone=UTC -c default_transaction_read_only=on"),
  );
  // An idle connection the server closed (restart, failover) is dropped by the pool; it must not crash the process.
  pool.on("error", () => {});
  reader.on("error", () => {});
  const client = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { client, pool, reader };
}

declare global {
  // Reused across dev-server reloads so we do not leak connections.
  var __afterglowPrisma: { client: PrismaClient; pool: pg.Pool; reader: pg.Pool; ready: Promise<void> } | undefined;
}

async function checkConnection(pool: pg.Pool) {
  await pool.query("SELECT 1");
}

function init() {
  const pools = createPools(env.DATABASE_URL);
  const ready = checkConnection(pools.pool);
  // Start-up awaits `ready` and reports a failure; nothing else may turn it into an unhandled rejection.
  ready.catch(() => {});
  return { ...pools, ready };
}

const holder = (globalThis.__afterglowPrisma ??= init());

export const prisma = holder.client;
/** Resolves once the database answered; start-up awaits it. */
export const dbReady = holder.ready;

/**
 * The web server's start-up: opens every connection of both pools and keeps them open from then on (node-postgres
 * closes idle connections only above `min`, set here to the size). Opening one costs a server process and its cold
 * caches; with node-postgres's default (closed after 10 s idle) a steady load kept a few open, and every burst above
 * it (the outbox's run serving four shops at once) paid for new ones while shoppers' requests queued behind them.
 * Only the main thread's pools: the ingest worker thread's connections keep the default (decision 052 says why).
 * Resolves to the number of open connections.
 */
export async function openPoolConnections(): Promise<number> {
  const fill = async (pool: pg.Pool) => {
    pool.options.min = pool.options.max;
    // Holding the pool's size at once: every idle connection is taken and the rest are opened.
    const clients = await Promise.all(Array.from({ length: pool.options.max }, () => pool.connect()));
    for (const client of clients) client.release();
    return pool.totalCount;
  };
  const [main, reader] = await Promise.all([fill(holder.pool), fill(holder.reader)]);
  return main + reader;
}

/** Closes every connection of this process (tests, shutdown). */
export async function closeDatabase() {
  const current = globalThis.__afterglowPrisma;
  if (!current) return;
  globalThis.__afterglowPrisma = undefined;
  await current.client.$disconnect();
  await Promise.allSettled([current.pool.end(), current.reader.end()]);
}

/** What the hot-path models need from a transaction: Prisma's tagged-template raw queries. */
export interface SqlClient {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T>;
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<number>;
  /**
   * Only on a raw transaction over a pipelined connection (`sqlOn`): sends the statement `send` makes (at once, when
   * called) and returns its answer, which nobody has to wait for now. The next statement sent through this client, or
   * `$settle`, waits for it as well and fails with its error first (a statement behind a failed one only reports the
   * aborted transaction).
   */
  $ahead?<T>(send: () => PromiseLike<T>): PromiseLike<T>;
  /** Waits for every statement taken by `$ahead` and not waited for since; rejects with the first one's error. */
  $settle?(): Promise<void>;
}

/** What the read pool offers: SELECTs only. */
interface SqlReader {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): PromiseLike<T>;
}

interface Compiled {
  text: string;
  /** A server-side prepared statement name, for statements written as one plain tagged template. */
  name?: string;
}

/** Prisma.sql's fragment class (the client does not export it at runtime). */
const SqlFragment = (Prisma.empty as object).constructor;

/** Statements by the strings array of the tagged template that wrote them (the same array on every call of a call site). */
const templates = new WeakMap<TemplateStringsArray, Compiled>();
const names = new Map<string, string>();
/** Prepared statement names per process (and so at most per connection). */
const MAX_NAMED_STATEMENTS = 2000;

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `ag${names.size + 1}`));
  return name;
}

function toArg(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === "bigint") return value.toString();
  return value;
}

/**
 * The SQL text (`$1`, `$2`… placeholders) and arguments of a query, as a named prepared statement (parsed and, once
 * PostgreSQL settles on a generic plan, planned once per connection). A tagged template whose values are all plain
 * parameters is looked up by its strings array; one with fragments goes through Prisma.sql and is named by its text.
 */
function compile(query: TemplateStringsArray | Prisma.Sql, values: unknown[]): pg.QueryConfig {
  if (Array.isArray(query) && !values.some((v) => v instanceof SqlFragment)) {
    const strings = query as TemplateStringsArray;
    let compiled = templates.get(strings);
    if (!compiled) {
      const text = strings.reduce((sql, part, i) => (i === 0 ? part : `${sql}$${i}${part}`), "");
      templates.set(strings, (compiled = { text, name: statementName(text) }));
    }
    return { text: compiled.text, name: compiled.name, values: values.map(toArg) };
  }
  const sql = Array.isArray(query) ? Prisma.sql(query as TemplateStringsArray, ...values) : (query as Prisma.Sql);
  // A statement composed of fragments (a shared INSERT, a conflict clause) has the same text on every call of its call
  // site, so it is prepared by its text too; texts that vary (lists of conditions) take names only up to a bound, so a
  // connection never holds an unbounded number of prepared statements.
  const name = names.has(sql.text) || names.size < MAX_NAMED_STATEMENTS ? statementName(sql.text) : undefined;
  return { text: sql.text, name, values: sql.values.map(toArg) };
}

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

function sqlClient(target: Queryable): SqlClient {
  return {
    async $queryRaw<T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      const result = await target.query(compile(query, values));
      return result.rows as T;
    },
    async $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      const result = await target.query(compile(query, values));
      return result.rowCount ?? 0;
    },
  };
}

/**
 * `sqlClient` on one connection in a transaction, with `$ahead` / `$settle` when the connection is pipelined: every
 * statement is sent at once (in call order, which is the order PostgreSQL runs them) and waits for the answers of
 * the statements taken ahead of it, so that the first failure is the one reported.
 */
function transactionClient(connection: pg.PoolClient): SqlClient {
  let ahead: PromiseLike<unknown>[] = [];
  // One after the other, in the order they were sent: the first failure is the cause, the later ones only report
  // the aborted transaction (and were given a handler when taken, so they are never unhandled).
  const settle = async () => {
    const sent = ahead;
    ahead = [];
    for (const statement of sent) await statement;
  };
  const send = async (config: pg.QueryConfig): Promise<pg.QueryResult> => {
    const sent = connection.query(config);
    if (ahead.length) {
      try {
        await settle();
      } catch (error) {
        sent.catch(() => {});
        throw error;
      }
    }
    return sent;
  };
  const client: SqlClient = {
    async $queryRaw<T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      return (await send(compile(query, values))).rows as T;
    },
    async $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      return (await send(compile(query, values))).rowCount ?? 0;
    },
  };
  if (!connection.pipeline) return client;
  client.$ahead = <T>(make: () => PromiseLike<T>) => {
    const sent = make();
    // Never an unhandled rejection: its error is reported by whoever waits next.
    Promise.resolve(sent).catch(() => {});
    ahead.push(sent);
    return sent;
  };
  client.$settle = settle;
  return client;
}

/** Raw SQL on one connection of the pool (a transaction in progress: models/transaction.server.ts). */
export function sqlOn(connection: pg.PoolClient): SqlClient {
  return transactionClient(connection);
}

/**
 * Raw SQL on the main pool outside any transaction: each statement on whichever connection is free, as a named
 * prepared statement (the hot per-request paths' single statements, without Prisma's per-query cost).
 */
export function poolSql(): SqlClient {
  return sqlClient(holder.pool);
}

/** A connection of the main pool, for a transaction run with raw SQL. Release it when done. */
export function connectRaw(): Promise<pg.PoolClient> {
  return holder.pool.connect();
}

/**
 * The read pool (docs/decisions/017-read-connection.md): the admin pages' aggregate reads, without Prisma's
 * per-query cost, each statement on its own committed snapshot. Its sessions are read-only: a write through it fails.
 */
export function readSql(): SqlReader {
  return sqlClient(holder.reader);
}
