import { describe, expect, it } from "vitest";
import { withSessionLock } from "~/models/transaction.server";
import { serialized } from "./serialized.server";

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("serialized", () => {
  it("runs work for one key one after another, other keys alongside, and a failure does not block the next", async () => {
    const events: string[] = [];
    const job = (name: string, fail = false) => async () => {
      events.push(`${name} start`);
      await tick();
      events.push(`${name} end`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([serialized("a", job("a1", true)), serialized("a", job("a2")), serialized("b", job("b1"))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(events.indexOf("a2 start")).toBeGreaterThan(events.indexOf("a1 end"));
    expect(events.indexOf("b1 start")).toBeLessThan(events.indexOf("a1 end"));
  });
});

describe("serialized across processes", () => {
  it("waits while another process (another connection) holds the key, and runs once it lets go", async () => {
    // GIVEN another app instance running work for key "c" (its own connection holds the key's advisory lock)
    let finish!: () => void;
    const holding = new Promise<void>((resolve) => (finish = resolve));
    let otherHolds!: () => void;
    const otherStarted = new Promise<void>((resolve) => (otherHolds = resolve));
    const other = withSessionLock("serialized c", async () => {
      otherHolds();
      await holding;
    });
    await otherStarted;
    let started = false;
    const run = serialized("c", async () => {
      started = true;
      return "done";
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(started).toBe(false);
    // WHEN it finishes
    finish();
    await other;
    // THEN this process's work runs
    expect(await run).toBe("done");
  });
});
