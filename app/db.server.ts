import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@prisma/client";
import { env } from "./env.server";

/**
 * The one PrismaClient. It runs on Prisma's JavaScript engine through the better-sqlite3 driver adapter
 * (docs/decisions/001-prisma-js-engine.md). WAL lets readers work while a webhook writes; the busy timeout
 * makes concurrent writers wait instead of failing.
 */
function createClient(url: string) {
  // Timestamps as integer milliseconds: compact, fast to range-scan, and what raw SQL aggregates expect.
  const adapter = new PrismaBetterSQLite3({ url, timeout: 5000 }, { timestampFormat: "unixepoch-ms" });
  return new PrismaClient({ adapter });
}

declare global {
  // Reused across dev-server reloads so we do not leak connections.
  var __afterglowPrisma: { client: PrismaClient; ready: Promise<void> } | undefined;
}

async function applyPragmas(client: PrismaClient) {
  await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await client.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await client.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await client.$queryRawUnsafe("PRAGMA foreign_keys = ON");
}

function init() {
  const client = createClient(env.DATABASE_URL);
  return { client, ready: applyPragmas(client) };
}

const holder = (globalThis.__afterglowPrisma ??= init());

export const prisma = holder.client;
/** Resolves once the connection pragmas are applied; start-up awaits it. */
export const dbReady = holder.ready;
export type Db = typeof prisma;
