import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

// The native schema engine cannot be downloaded in every environment we build in,
// so Prisma runs on its JavaScript engine with the same driver adapter the app uses.
// See docs/decisions/001-prisma-js-engine.md.
// The schema reads env("DATABASE_URL"); without it Prisma falls back to fetching a native engine.
process.env.DATABASE_URL ??= "file:./prisma/dev.sqlite";
const url = process.env.DATABASE_URL;

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaBetterSQLite3({ url }),
});
