// The dev command of `shopify app dev` (shopify.web.toml): gives the development server a database, then runs
// `remix vite:dev` (arguments passed on). Without DATABASE_URL it starts the project's own PostgreSQL
// (.postgres/dev, kept between runs; AFTERGLOW_DEV_PG_PORT picks its port, a free one otherwise) and migrates
// database afterglow_dev; with DATABASE_URL it migrates that database. When the development server exits, or on
// Ctrl+C / SIGTERM, the database server stops too.
import { spawn } from "node:child_process";
import path from "node:path";
import { MIGRATIONS_DIR, portFromEnv, ROOT, startLocalDatabase, takeOverSignals } from "./lib/local-database.mjs";
import { migrate } from "./lib/migrations.mjs";

const DATA_DIR = path.join(ROOT, ".postgres", "dev");

let database = null;
let devServer = null;
const exit = async (code) => {
  await database?.stop();
  process.exit(code);
};
takeOverSignals((signal) => {
  if (!devServer) return void exit(130);
  devServer.kill(signal);
  setTimeout(() => devServer.kill("SIGKILL"), 10_000).unref();
});

let databaseUrl = process.env.DATABASE_URL;
try {
  if (databaseUrl) {
    await migrate(databaseUrl, MIGRATIONS_DIR);
  } else {
    const port = portFromEnv("AFTERGLOW_DEV_PG_PORT");
    database = await startLocalDatabase({ dir: DATA_DIR, database: "afterglow_dev", port, owner: "scripts/dev-database.mjs" });
    databaseUrl = database.url;
    console.log(`Development database: afterglow_dev on 127.0.0.1:${database.port} (${path.relative(ROOT, DATA_DIR)})`);
  }
} catch (error) {
  console.error(`The development database did not start: ${error instanceof Error ? error.message : String(error)}`);
  await exit(1);
}

devServer = spawn(process.execPath, [path.join(ROOT, "node_modules", "@remix-run", "dev", "dist", "cli.js"), "vite:dev", ...process.argv.slice(2)], {
  cwd: ROOT,
  env: { ...process.env, DATABASE_URL: databaseUrl },
  stdio: "inherit",
});
devServer.on("exit", (code, signal) => void exit(code ?? (signal ? 1 : 0)));
