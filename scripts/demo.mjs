// `npm run demo`: build the demo, migrate prisma/demo.sqlite, and serve the seeded demo shop on
// http://127.0.0.1:3000 (loopback only). The first start seeds months of history through the ingest service.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const env = {
  ...process.env,
  NODE_ENV: "production",
  AFTERGLOW_DEMO: "1",
  DATABASE_URL: process.env.DATABASE_URL ?? "file:./prisma/demo.sqlite",
  HOST: process.env.HOST ?? "127.0.0.1",
  PORT: process.env.PORT ?? "3000",
};

function run(label, command, args) {
  console.log(`\n▸ ${label}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`✗ ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

if (!process.argv.includes("--no-build")) run("Building the demo app", bin("remix"), ["vite:build", "--mode", "demo"]);
run("Migrating the demo database", bin("prisma"), ["migrate", "deploy"]);

console.log(`\n▸ Starting the demo shop on http://${env.HOST}:${env.PORT}/app (Ctrl+C to stop)`);
const server = spawn(process.execPath, ["server.mjs", "--demo"], { cwd: root, env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
