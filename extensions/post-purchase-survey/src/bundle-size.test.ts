import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { buildExtension, BUDGET_BYTES, formatSize } from "../../../scripts/build-extension.mjs";

describe("extension bundle", () => {
  it("stays within the 25 KB budget for every target", async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "afterglow-ext-"));
    const results = await buildExtension({ outdir });
    expect(results).toHaveLength(2);
    for (const r of results) {
      console.log(`${r.target}: ${formatSize(r.bytes)}`);
      expect(r.bytes).toBeLessThanOrEqual(BUDGET_BYTES);
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  }, 30_000);
});
