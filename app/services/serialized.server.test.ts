import { describe, expect, it } from "vitest";
import { withSessionLock } from "~/models/transaction.server";
import { serialized } from "./serialized.server";

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("serialized", () => {
  it("runs work for one key one after another, other keys alongside, and a failure does not block the next", async () => {
    const events: string[] = [];
    // a1 holds key "a" until b1 (key "b") has started: b1 must not wait for a1. No timer decides the order.
    let bStarted!: () => void;
    const bRunning = new Promise<void>((resolve) => (bStarted = resolve));
    const job = (name: string, options: { fail?: boolean; until?: Promise<void> } = {}) => async () => {
      events.push(`${name} start`);
      if (name === "b1") bStarted();
      await (options.until ?? tick());
      events.push(`${name} end`);
      if (options.fail) throw new Error(name);
      return name;
    };
    const b1Late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("b1 waited for key a")), 10_000).unref());
    const results = await Promise.race([
      Promise.allSettled([serialized("a", job("a1", { fail: true, until: bRunning })), serialized("a", job("a2")), serialized("b", job("b1"))]),
      b1Late,
    ]);
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
