import { describe, expect, it } from "vitest";
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
