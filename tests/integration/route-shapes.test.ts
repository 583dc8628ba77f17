import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/paths";

/**
 * One shape for routes (docs/architecture.md, "Routes"): a route that renders a page is a folder, `route.tsx` with
 * the page and `loader.server.ts` / `action.server.ts` beside it holding its loader and action; a route without a
 * page (webhooks, API endpoints, downloads, redirects, /healthz) is one file.
 */
const ROUTES = path.join(ROOT, "app", "routes");
const entries = fs.readdirSync(ROUTES, { withFileTypes: true });
const read = (...parts: string[]) => fs.readFileSync(path.join(ROUTES, ...parts), "utf8");
const PAGE = /^export default function /m;
const SERVER_EXPORT = /^export (async )?function (loader|action)\b|^export const (loader|action) = (async )?\(/m;

describe("route shapes", () => {
  it("a route file that is not a folder renders no page", () => {
    const files = entries.filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name));
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((e) => PAGE.test(read(e.name))).map((e) => e.name)).toEqual([]);
  });

  it("a page's loader and action live in loader.server.ts / action.server.ts beside route.tsx", () => {
    const folders = entries.filter((e) => e.isDirectory());
    expect(folders.length).toBeGreaterThan(5);
    const misshapen: string[] = [];
    for (const folder of folders) {
      const route = read(folder.name, "route.tsx");
      if (!PAGE.test(route)) misshapen.push(`${folder.name}: route.tsx renders no page`);
      if (SERVER_EXPORT.test(route)) misshapen.push(`${folder.name}: route.tsx defines its loader or action itself`);
      for (const kind of ["loader", "action"] as const) {
        const exported = new RegExp(`^export const ${kind} = (\\w+);$`, "m").exec(route);
        const file = `${kind}.server.ts`;
        const present = fs.existsSync(path.join(ROUTES, folder.name, file));
        if (exported && !present) misshapen.push(`${folder.name}: exports a ${kind} but has no ${file}`);
        if (exported && present && !new RegExp(`import \\{[^}]*\\b${exported[1]}\\b[^}]*\\} from "\\./${kind}\\.server"`).test(route)) {
          misshapen.push(`${folder.name}: its ${kind} does not come from ${file}`);
        }
        if (!exported && present) misshapen.push(`${folder.name}: has ${file} but exports no ${kind}`);
      }
    }
    expect(misshapen).toEqual([]);
  });
});
