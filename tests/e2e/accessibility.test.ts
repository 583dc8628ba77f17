import fs from "node:fs";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { ROOT } from "../support/paths";
import { launchBrowser, watchPage } from "./support/browser";

/**
 * axe-core on every admin page of the demo shop, at desktop and phone sizes. The pages are read from app/routes at
 * run time: every route module under `app` with a default export (a page, not a resource route or the layout), its
 * URL built from the flat-routes file name. A `$param` segment is resolved from the demo shop's data by PARAMS; a
 * page whose parameter this suite cannot resolve fails, so a page added later is either covered or fails here.
 */

const baseUrl = inject("baseUrl");
let browser: Browser;

const SIZES = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
] as const;

/** WCAG 2.0/2.1/2.2 A and AA rules, and heading order (a best practice axe does not tag as WCAG, which the issue asks for). */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const EXTRA_RULES = ["heading-order", "page-has-heading-one"];

interface PageRoute {
  /** Route id: the file or folder name under app/routes. */
  id: string;
  /** URL path with `$param` segments left in. */
  pattern: string;
}

/** Page routes under /app on disk: `app.*` files and `app.*` folders whose module has a default export. */
function adminPageRoutes(): PageRoute[] {
  const dir = path.join(ROOT, "app", "routes");
  const modules: { id: string; file: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!/^app($|\.)/.test(entry.name)) continue;
    if (entry.isDirectory()) {
      const file = ["route.tsx", "route.ts", "route.jsx", "route.js"].find((f) => fs.existsSync(path.join(dir, entry.name, f)));
      if (file) modules.push({ id: entry.name, file: path.join(dir, entry.name, file) });
    } else if (/\.(tsx?|jsx?)$/.test(entry.name) && !/\.test\.(tsx?|jsx?)$/.test(entry.name)) {
      modules.push({ id: entry.name.replace(/\.(tsx?|jsx?)$/, ""), file: path.join(dir, entry.name) });
    }
  }
  return modules
    .filter((m) => /^export default\b/m.test(fs.readFileSync(m.file, "utf8")))
    // A layout (it renders an <Outlet />) frames its children's pages, which are covered themselves.
    .filter((m) => !/<Outlet\b/.test(fs.readFileSync(m.file, "utf8")))
    .map((m) => ({
      id: m.id,
      pattern:
        "/" +
        m.id
          // Segments are split at dots outside brackets ("[.]" is a literal dot).
          .split(/\.(?![^[]*\])/)
          .filter((segment) => segment !== "_index")
          .map((segment) => segment.replace(/\[\.\]/g, "."))
          .join("/"),
    }))
    .sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** How each route parameter is found in the demo shop. */
const PARAMS: Record<string, (page: Page) => Promise<string>> = {
  // The first customer of the customers list (the top spender).
  "app.customers.$id": async (page) => {
    await page.goto(`${baseUrl}/app/customers`, { waitUntil: "networkidle" });
    const href = await page.locator('main a[href^="/app/customers/"]').first().getAttribute("href");
    const id = href ? new URL(href, baseUrl).pathname.split("/").at(-1) : undefined;
    if (!id) throw new Error("the demo shop's customers list has no customer link");
    return id;
  },
};

async function resolve(route: PageRoute, page: Page): Promise<string> {
  if (!route.pattern.includes("$")) return route.pattern;
  const resolver = PARAMS[route.id];
  if (!resolver) throw new Error(`${route.id}: no way to resolve ${route.pattern} in the demo shop; add it to PARAMS in this suite`);
  const value = await resolver(page);
  return route.pattern.replace(/\$[^/]+/, encodeURIComponent(value));
}

const ROUTES = adminPageRoutes();

/** Further views of a page that draw different markup (a tab's list), checked besides its first view. */
const VIEWS: Record<string, string[]> = {
  "app.followups": ["?view=answers", "?status=all"],
};
const CASES = ROUTES.flatMap((route) => ["", ...(VIEWS[route.id] ?? [])].map((query) => ({ route, query, name: `${route.pattern}${query}` })));

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("accessibility of the admin pages (axe-core, WCAG 2 A/AA)", () => {
  it("finds the admin pages in app/routes", () => {
    // The dashboard and the customer page at least; a broken enumeration would otherwise pass with nothing to check.
    expect(ROUTES.map((r) => r.pattern)).toEqual(expect.arrayContaining(["/app", "/app/customers", "/app/customers/$id", "/app/privacy"]));
    // Resource routes (CSV and JSON exports) and the layout are not pages.
    expect(ROUTES.map((r) => r.pattern).filter((p) => /\.(csv|json)$/.test(p) || p === "/app/")).toEqual([]);
    expect(Object.keys(VIEWS).filter((id) => !ROUTES.some((r) => r.id === id)), "VIEWS of no page route").toEqual([]);
  });

  describe.each(SIZES)("at $width×$height ($name)", (size) => {
    it.each(CASES)("$name has no violation", async ({ route, query }) => {
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
      const page = await context.newPage();
      try {
        const problems = watchPage(page);
        const url = `${await resolve(route, page)}${query}`;
        const response = await page.goto(`${baseUrl}${url}`, { waitUntil: "networkidle" });
        expect(response?.status(), `${url} status`).toBe(200);
        const heading = page.getByRole("heading", { level: 1 });
        await heading.first().waitFor({ state: "visible" });
        // The document title names the page as its heading does.
        expect(await page.title()).toBe(`${(await heading.first().innerText()).trim()} · Afterglow`);

        const results = await new AxeBuilder({ page })
          .options({
            runOnly: { type: "tag", values: WCAG_TAGS },
            rules: Object.fromEntries(EXTRA_RULES.map((rule) => [rule, { enabled: true }])),
          })
          .analyze();
        const violations = results.violations.flatMap((violation) =>
          violation.nodes.map((node) => `${violation.id} on ${url} at ${size.name} (${size.width}×${size.height}): ${node.target.join(" ")} — ${violation.help}; ${node.failureSummary?.replace(/\s+/g, " ") ?? ""} ${node.html.slice(0, 300)}`),
        );
        if (violations.length > 0) console.log(violations.join("\n"));
        // The rules really ran (an empty run would pass any page).
        expect(results.passes.length + results.violations.length).toBeGreaterThan(10);
        expect(results.passes.map((p) => p.id).concat(results.violations.map((v) => v.id))).toEqual(expect.arrayContaining(["document-title", "heading-order"]));
        expect(violations).toEqual([]);

        // Every chart drawn as an image has its figures in text: in its name (a bar whose name states its figures), or
        // beside it in a table captioned, or a list named, as the chart is. (Charts are a named image, an SVG or the
        // polaris-viz chart's box; what is hidden from assistive tech is skipped.)
        const chartsWithoutFigures = await page.locator("[role=img]").evaluateAll((charts) =>
          charts
            .filter((chart) => !chart.closest("[aria-hidden=true]"))
            .map((chart) => chart.getAttribute("aria-label") ?? "")
            .filter(
              (name) =>
                !name ||
                (!/\d/.test(name) &&
                  ![...document.querySelectorAll("table caption")].some((caption) => caption.textContent?.trim() === name) &&
                  ![...document.querySelectorAll("ul[aria-label], ol[aria-label], table[aria-label]")].some((el) => el.getAttribute("aria-label") === name)),
            ),
        );
        expect(chartsWithoutFigures, `charts on ${url} with no table or list of their figures`).toEqual([]);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});
