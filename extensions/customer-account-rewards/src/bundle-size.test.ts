import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { buildExtension, BUDGET_BYTES, formatSize } from "../../../scripts/build-extension.mjs";

describe("rewards extension bundle", () => {
  it("stays within the 40 KB budget for the page and the block", async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "afterglow-ext-"));
    const results = await buildExtension({ outdir, extension: "customer-account-rewards" });
    expect(BUDGET_BYTES).toBe(40 * 1024);
    expect(results.map((r) => [r.target, path.basename(r.file)])).toEqual([
      ["customer-account.page.render", "rewards-page.js"],
      ["customer-account.profile.block.render", "rewards-block.js"],
    ]);
    for (const r of results) {
      console.log(`${r.target}: ${formatSize(r.bytes)}, gzip ${formatSize(r.gzipBytes)}`);
      expect(r.bytes).toBeLessThanOrEqual(BUDGET_BYTES);
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  }, 30_000);
});
