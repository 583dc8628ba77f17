import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { DEFAULT_PROGRAM } from "~/domain/loyalty/program";
import { copyDatabase, dropDatabase } from "../../support/migrate";
import { FAULTS_API_KEY, FAULTS_LOGS, FAULTS_SECRET, ROOT } from "./paths";
import { closeReader } from "./snapshot";

const nameOf = (dbUrl: string) => decodeURIComponent(new URL(dbUrl).pathname.slice(1));

/**
 * A fresh migrated database for one scenario, on the fault run's PostgreSQL server: a copy of the template
 * global-setup migrated. Resolves to its connection URL.
 */
export async function freshDatabase(name: string): Promise<string> {
  const dbName = `faults_${name.replace(/[^a-z0-9]/gi, "_")}_${randomUUID().slice(0, 8)}`.toLowerCase();
  return copyDatabase(inject("pgAdminUrl"), inject("templateDb"), dbName);
}

/** Drops a scenario's database (after its servers stopped; the test's own reads are closed first). */
export async function removeDatabase(dbUrl: string) {
  await closeReader(dbUrl);
  await dropDatabase(inject("pgAdminUrl"), nameOf(dbUrl));
}

/** Stores an offline session and a shop row for each shop, as an install would: the outbox worker can call the Admin API, and the sweeps cover the shop. */
export async function installShops(dbUrl: string, shops: string[]) {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    for (const shop of shops) {
      await client.query(
        `INSERT INTO "Session" ("id", "shop", "state", "isOnline", "scope", "accessToken") VALUES ($1, $2, 'installed', false, $3, $4)`,
        [`offline_${shop}`, shop, "read_orders,read_products,read_customers,write_customers,write_legal_policies", `token-${shop}`],
      );
      // The shop's row, as the install's profile fetch leaves it (its background work, the sweeps, covers installed shops).
      await client.query(`INSERT INTO "Shop" ("shop", "installedAt", "updatedAt") VALUES ($1, now(), now()) ON CONFLICT ("shop") DO NOTHING`, [shop]);
    }
  } finally {
    await client.end();
  }
}

/**
 * Stores each shop's programme as the default tiers with pending points off (decision 043: on by default), for
 * scenarios whose subject is not pending points but which read balances as soon as orders are booked. The tiers keep
 * their names (tags, metafield) without perk discounts, so no perk sync joins the scenario's Admin API calls.
 */
export async function pointsAvailableAtOnce(dbUrl: string, shops: string[]) {
  const tiers = DEFAULT_PROGRAM.tiers.map((t) => ({ ...t, perks: { text: t.perks.text, discountPercent: null, freeShipping: false } }));
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    for (const shop of shops) {
      await client.query(
        `INSERT INTO "LoyaltyProgram" ("shop", "basis", "window", "pointsPerUnit", "tiers", "version", "pendingPoints", "updatedAt")
         VALUES ($1, $2, $3, $4, $5, 1, false, now())`,
        [shop, DEFAULT_PROGRAM.basis, DEFAULT_PROGRAM.window, DEFAULT_PROGRAM.pointsPerUnit, JSON.stringify(tiers)],
      );
    }
  } finally {
    await client.end();
  }
}

export interface ServerOptions {
  /** Names the log file (test-results/faults/<name>.log; restarts append to it). */
  name: string;
  port: number;
  /** The scenario's database (postgresql:// URL); several servers may share one. */
  dbUrl: string;
  /** The Admin API stub's origin (AFTERGLOW_TEST_ADMIN_API_ORIGIN). */
  adminOrigin?: string;
  /** AFTERGLOW_TEST_TIME_SCALE for the outbox worker. */
  timeScale?: number;
}

/**
 * The production build served by `node server.mjs`, as `npm start` runs it (NODE_ENV=production), on loopback
 * against a scenario's PostgreSQL database (its own, or shared with other server processes as several app instances
 * share one). AFTERGLOW_FAULT_TESTING=1 when a test seam is used: app/env.server.ts refuses the seams without it.
 */
export class AppServer {
  private child: ChildProcess | undefined;
  readonly url: string;
  readonly logFile: string;

  constructor(readonly options: ServerOptions) {
    this.url = `http://127.0.0.1:${options.port}`;
    this.logFile = path.join(FAULTS_LOGS, `${options.name}.log`);
  }

  get pid() {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error("already running");
    // Something else on the port would answer /healthz in our place.
    if (await answers(this.url)) throw new Error(`port ${this.options.port} is already in use`);
    fs.mkdirSync(FAULTS_LOGS, { recursive: true });
    fs.appendFileSync(this.logFile, `\n--- start ${new Date().toISOString()}\n`);
    const { options } = this;
    const child = spawn(process.execPath, ["server.mjs"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        SHOPIFY_API_KEY: FAULTS_API_KEY,
        SHOPIFY_API_SECRET: FAULTS_SECRET,
        SHOPIFY_APP_URL: this.url,
        DATABASE_URL: options.dbUrl,
        HOST: "127.0.0.1",
        PORT: String(options.port),
        ...(options.adminOrigin || options.timeScale ? { AFTERGLOW_FAULT_TESTING: "1" } : {}),
        ...(options.adminOrigin ? { AFTERGLOW_TEST_ADMIN_API_ORIGIN: options.adminOrigin } : {}),
        ...(options.timeScale ? { AFTERGLOW_TEST_TIME_SCALE: String(options.timeScale) } : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    running.add(child);
    child.once("exit", () => running.delete(child));
    const log = fs.createWriteStream(this.logFile, { flags: "a" });
    let listening = false;
    child.stdout!.on("data", (chunk: Buffer) => {
      if (!listening && chunk.toString("utf8").includes('"msg":"listening"')) listening = true;
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.child = undefined;
        throw new Error(`server ${options.name} exited (${child.exitCode ?? child.signalCode}); see ${this.logFile}`);
      }
      if (listening && (await answers(this.url))) return;
      if (Date.now() > deadline) throw new Error(`server ${options.name} did not answer /healthz within 60 s`);
      await sleep(100);
    }
  }

  /** SIGKILL: no shutdown code runs, in-flight requests are cut off mid-way. */
  async kill(): Promise<void> {
    await this.signal("SIGKILL");
  }

  /** SIGTERM, as a deploy would: the server stops listening and exits. */
  async stop(): Promise<void> {
    await this.signal("SIGTERM");
  }

  private async signal(signal: NodeJS.Signals) {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Lines of this server's log (all starts) that are JSON log records at `level`. */
  logRecords(level?: string): Record<string, unknown>[] {
    if (!fs.existsSync(this.logFile)) return [];
    return fs
      .readFileSync(this.logFile, "utf8")
      .split("\n")
      .flatMap((line) => {
        try {
          return line.startsWith("{") ? [JSON.parse(line) as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      })
      .filter((record) => level === undefined || record.level === level);
  }
}

/** Server processes started by this test process: killed if it exits first (e.g. a test timed out). */
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true, or fails after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000, everyMs = 200) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
