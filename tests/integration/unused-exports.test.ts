import { describe, expect, it } from "vitest";
import { moduleExports, type Exported } from "../support/module-exports";

/**
 * A production tree with nothing but the product (issue 18): every export of a module under `app/` or an extension's
 * `src/` is imported by another production module, or read by name by Remix, the server build or the extension's
 * TOML. Otherwise it is one of:
 * - dead: nothing uses it, not even its own module. Delete it.
 * - an unused export: only its own module uses it. Drop `export`.
 * - test-only: only tests use it. Move it to `tests/support/` (or let the test use the module's public API); when it
 *   must stay because it reaches the module's private state (a cache to empty, a hook to set), say so in a comment
 *   right above it that starts `Test seam:` (and list a seam the production build can reach in docs/architecture.md).
 * An export that its module uses and that tests also import (a unit-tested step of the module) is fine.
 * How uses are found: tests/support/module-exports.ts.
 */
const exported = moduleExports();

function finding(e: Exported): string | null {
  if (e.framework || e.prodUsers.length > 0) return null;
  if (e.testUsers.length === 0) return e.usedInside ? "only its own module uses it: drop `export`" : "nothing uses it: delete it";
  if (e.usedInside || /^\s*(\/\*\*?|\/\/)\s*Test seam:/m.test(e.comment)) return null;
  return `only tests use it (${e.testUsers.join(", ")}): move it to tests/support/, or say why it stays in a "Test seam:" comment`;
}

describe("unused exports", () => {
  it("reads the whole production tree", () => {
    const files = new Set(exported.map((e) => e.file));
    expect(files.size).toBeGreaterThan(150);
    expect(files).toContain("app/entry.server.tsx");
    expect(files).toContain("extensions/post-purchase-survey/src/host.ts");
  });

  it("every export of a production module is used by another production module or read by the framework", () => {
    const findings = exported
      .flatMap((e) => {
        const why = finding(e);
        return why ? [`${e.file}:${e.line} ${e.name}: ${why}`] : [];
      });
    expect(findings).toEqual([]);
  });

  it("tells the kinds apart (probes on exports whose uses are known)", () => {
    const probe = (file: string, name: string) => {
      const e = exported.find((x) => x.file === file && x.name === name);
      if (!e) throw new Error(`${file} no longer exports ${name}: pick another probe`);
      return e;
    };
    // Imported by another module.
    expect(finding(probe("app/domain/payload-error.ts", "InvalidPayloadError"))).toBeNull();
    // Re-exported under a name Remix reads (every webhook route file is `export { webhookAction as action } from …`).
    expect(probe("app/webhooks/action.server.ts", "webhookAction").prodUsers).toContain("(framework)");
    // A route module's loader: Remix reads it by name.
    expect(probe("app/routes/healthz.ts", "loader")).toMatchObject({ framework: true });
    // Through `import("…")` kept whole (entry.server's loadPubSubConsumer, read by scripts/consume-pubsub.mjs).
    expect(probe("app/pubsub/consumer.server.ts", "startPubSubConsumer").prodUsers).toEqual(["app/entry.server.tsx"]);
    // Through `const { a } = await import("…")`.
    expect(probe("app/demo/prepare.server.ts", "prepareDemoShop").prodUsers).toEqual(["app/entry.server.tsx"]);
    // A test seam: only tests call it, it stays for the module's state, and its comment says so.
    const seam = probe("app/models/session-cache.server.ts", "forgetAllSessions");
    expect(seam).toMatchObject({ prodUsers: [], usedInside: false, testUsers: ["app/models/session-cache.server.test.ts"] });
    expect(finding(seam)).toBeNull();
    expect(finding({ ...seam, comment: "/** Empties the cache. */" })).toMatch(/^only tests use it/);
    // Its own module uses it, and so does its unit test: fine. Without the test, an unused export.
    const step = probe("app/domain/csv.ts", "guardFormula");
    expect(step).toMatchObject({ usedInside: true });
    expect(finding({ ...step, prodUsers: [] })).toBeNull();
    expect(finding({ ...step, prodUsers: [], testUsers: [] })).toBe("only its own module uses it: drop `export`");
    expect(finding({ ...step, prodUsers: [], testUsers: [], usedInside: false })).toBe("nothing uses it: delete it");
  });
});
