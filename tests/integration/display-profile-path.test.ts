import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/paths";

/**
 * The shop's currency and time zone reach routes and services by one path, app/services/shop-profile.server.ts
 * (`shopDisplay` with the USD/UTC fallbacks, `shopDisplaySettings` without them): the model query behind it is
 * imported there and nowhere else, so every page and export shows the same currency with the same fallback.
 */
const APP = path.join(ROOT, "app");
const OWNER = "app/services/shop-profile.server.ts";
const MODEL_IMPORT = /import\s*\{[^}]*\bshopDisplaySettings\b[^}]*\}\s*from\s*"~\/models\/[^"]+"/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

describe("the shop's display profile", () => {
  it("is read from the database by shop-profile.server.ts alone", () => {
    const readers = sourceFiles(APP)
      .filter((file) => MODEL_IMPORT.test(fs.readFileSync(file, "utf8")))
      .map((file) => path.relative(ROOT, file));
    expect(readers).toEqual([OWNER]);
  });

  it("the check sees an import of the model query, on one line or several", () => {
    expect(MODEL_IMPORT.test('import { shopDisplaySettings } from "~/models/customer-queries.server";')).toBe(true);
    expect(MODEL_IMPORT.test('import {\n  findCustomer,\n  shopDisplaySettings,\n} from "~/models/shops.server";')).toBe(true);
    expect(MODEL_IMPORT.test('import { shopDisplaySettings } from "./shop-profile.server";')).toBe(false);
  });
});
