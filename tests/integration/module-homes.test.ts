import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/paths";

/** Where shared helpers live (issue 18, "one home for each helper"), held by reading the source. */
const APP = path.join(ROOT, "app");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

/**
 * A form-parsing module sits in its route's folder (app/routes/app.loyalty/program-form.ts, …) because the route's
 * action parses posted forms with it; the page's components import it too, for the same checks in the browser. That
 * is only safe while the module (and what it imports from its folder) imports no server code: a component's imports
 * end up in the browser bundle.
 */
const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^;"]*?from\s+)?"([^"]+)"/gm;
const SERVER = /\.server$|^~\/(services|models|shopify|webhooks|pubsub|demo)\/|^~\/(db|env|logger|auth|shopify)\.server|^@remix-run\/node$|^@prisma\/|^node:/;

/** The value (not type-only) imports of a source text. */
function valueImports(source: string): string[] {
  return [...source.matchAll(IMPORT)].filter((m) => !m[1]).map((m) => m[2]!);
}

function resolve(from: string, specifier: string): string | null {
  const base = specifier.startsWith("~/") ? path.join(APP, specifier.slice(2)) : path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Server imports reachable from a route-folder module through its own folder's modules: "file → import" lines. */
function serverImports(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const found: string[] = [];
  for (const specifier of valueImports(fs.readFileSync(file, "utf8"))) {
    if (SERVER.test(specifier)) found.push(`${path.relative(ROOT, file)} → ${specifier}`);
    else if (specifier.startsWith(".")) {
      const next = resolve(file, specifier);
      if (next) found.push(...serverImports(next, seen));
    }
  }
  return found;
}

describe("route-folder modules that components import", () => {
  const components = sourceFiles(path.join(APP, "components"));
  const imported = components.flatMap((file) =>
    valueImports(fs.readFileSync(file, "utf8"))
      .filter((s) => s.startsWith("~/routes/"))
      .map((s) => ({ component: path.relative(ROOT, file), module: resolve(file, s) })),
  );

  it("exist (the program and return policy forms, at least)", () => {
    expect(imported.every((i) => i.module !== null)).toBe(true);
    const modules = new Set(imported.map((i) => path.relative(ROOT, i.module!)));
    expect([...modules]).toEqual(expect.arrayContaining(["app/routes/app.loyalty/program-form.ts", "app/routes/app.returns/policy-form.ts"]));
  });

  it("import no server code, directly or through their folder", () => {
    const modules = [...new Set(imported.map((i) => i.module!))];
    expect(modules.flatMap((m) => serverImports(m))).toEqual([]);
  });

  it("the check sees each kind of server import, and lets type-only imports and domain code through", () => {
    const source = [
      'import { a } from "~/domain/money";',
      'import type { B } from "~/services/loyalty.server";',
      'import { c } from "./action.server";',
      'import { d } from "~/models/shops.server";',
      'import { e } from "@remix-run/node";',
      'import { f } from "~/auth.server";',
      'import "~/db.server";',
      'export { g } from "~/services/shop-profile.server";',
      "import {\n  h,\n  i,\n} from \"~/shopify/admin-client.server\";",
    ].join("\n");
    expect(valueImports(source).filter((s) => SERVER.test(s))).toEqual([
      "./action.server",
      "~/models/shops.server",
      "@remix-run/node",
      "~/auth.server",
      "~/db.server",
      "~/services/shop-profile.server",
      "~/shopify/admin-client.server",
    ]);
  });
});

/**
 * The shop's currency and time zone reach routes and services by one path, app/services/shop-profile.server.ts
 * (`shopDisplay` with the USD/UTC fallbacks, `shopDisplaySettings` without them): the model query behind it is
 * imported there and nowhere else, so every page and export shows the same currency with the same fallback.
 */
const OWNER = "app/services/shop-profile.server.ts";
const MODEL_IMPORT = /import\s*\{[^}]*\bshopDisplaySettings\b[^}]*\}\s*from\s*"~\/models\/[^"]+"/;

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

/**
 * Minor-unit amounts are written out in one place, app/domain/money.ts (formatMoney, minorToDecimal,
 * minorUnitsToDecimalText, currencySymbol): no other module builds a currency formatter of its own.
 */
const CURRENCY_FORMAT = /style:\s*"currency"/;

describe("money formatting", () => {
  it("builds currency formatters in app/domain/money.ts alone", () => {
    const extensions = path.join(ROOT, "extensions");
    const sources = [
      ...sourceFiles(APP),
      ...fs.readdirSync(extensions).flatMap((name) => (fs.existsSync(path.join(extensions, name, "src")) ? sourceFiles(path.join(extensions, name, "src")) : [])),
    ];
    const formatters = sources.filter((file) => CURRENCY_FORMAT.test(fs.readFileSync(file, "utf8"))).map((file) => path.relative(ROOT, file));
    expect(formatters).toEqual(["app/domain/money.ts"]);
  });
});
