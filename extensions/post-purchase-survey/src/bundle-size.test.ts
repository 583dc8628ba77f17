import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { buildExtension, BUDGET_BYTES, formatSize } from "../../../scripts/build-extension.mjs";

describe("extension bundle", () => {
  it("stays within the 40 KB budget for every target", async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "afterglow-ext-"));
    const results = await buildExtension({ outdir, extension: "post-purchase-survey" });
    expect(BUDGET_BYTES).toBe(40 * 1024);
    expect(results.map((r) => [r.target, path.basename(r.file)])).toEqual([
      ["purchase.thank-you.block.render", "thank-you.js"],
      ["customer-account.order-status.block.render", "order-status.js"],
    ]);
    for (const r of results) {
      console.log(`${r.target}: ${formatSize(r.bytes)}, gzip ${formatSize(r.gzipBytes)}`);
      expect(r.bytes).toBeLessThanOrEqual(BUDGET_BYTES);
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  }, 30_000);
});
