import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// Prisma runs on its JavaScript engine (docs/decisions/001-prisma-js-engine.md): `prisma generate` and
// `prisma migrate diff` need no native engine and no database. Migrations are applied by the project's own runner
// (scripts/migrate.mjs, docs/decisions/025-postgresql.md), not by `prisma migrate deploy`.
// The schema reads env("DATABASE_URL"); a placeholder lets generate and diff run without one.
process.env.DATABASE_URL ??= "postgresql://afterglow@127.0.0.1:5432/afterglow";
const connectionString = process.env.DATABASE_URL;

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaPg({ connectionString }),
});
