import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { assertReachableAsPostgresUser } from "../../../scripts/lib/embedded-postgres.mjs";

/**
 * As root (CI containers), the embedded server runs as the `postgres` user, who must be able to enter every directory
 * above its data directory; otherwise the spawn fails with a bare EACCES. The check names the directory instead.
 */
const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe.runIf(process.getuid?.() === 0)("the embedded server's directories, as root", () => {
  it("a parent closed to others (mktemp -d's mode 700) is named, with the fix", () => {
    const closed = fs.mkdtempSync(path.join(os.tmpdir(), "closed-"));
    made.push(closed);
    fs.chmodSync(closed, 0o700);
    const dataDir = path.join(closed, "project", "tmp", "pg");
    expect(() => assertReachableAsPostgresUser(dataDir)).toThrow(`${closed} is closed to other users (mode 700)`);
    expect(() => assertReachableAsPostgresUser(dataDir)).toThrow(`chmod o+x ${closed}`);
  });

  it("directories others may enter pass, whether or not the data directory exists yet", () => {
    const open = fs.mkdtempSync(path.join(os.tmpdir(), "open-"));
    made.push(open);
    fs.chmodSync(open, 0o755);
    expect(() => assertReachableAsPostgresUser(path.join(open, "project", "tmp", "pg"))).not.toThrow();
  });
});
