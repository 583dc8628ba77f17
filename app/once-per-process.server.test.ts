import { afterEach, describe, expect, it, vi } from "vitest";

describe("oncePerProcess", () => {
  afterEach(() => {
    globalThis.__afterglowOnce?.delete("test-start");
    vi.resetModules();
  });

  it("runs the start function once and hands every caller its result", async () => {
    const { oncePerProcess } = await import("./once-per-process.server");
    const start = vi.fn(() => ({ stop: () => undefined }));
    const first = oncePerProcess("test-start", start);
    const second = oncePerProcess("test-start", start);
    expect(start).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
  });

  it("still runs once when the module is evaluated again, as the development server does after an edit", async () => {
    const start = vi.fn(() => "started");
    const before = await import("./once-per-process.server");
    expect(before.oncePerProcess("test-start", start)).toBe("started");
    vi.resetModules();
    const after = await import("./once-per-process.server");
    expect(after).not.toBe(before);
    expect(after.oncePerProcess("test-start", start)).toBe("started");
    expect(start).toHaveBeenCalledTimes(1);
  });

  it("keeps different kinds of start-up apart", async () => {
    const { oncePerProcess } = await import("./once-per-process.server");
    oncePerProcess("test-start", () => 1);
    expect(oncePerProcess("test-other", () => 2)).toBe(2);
    globalThis.__afterglowOnce?.delete("test-other");
  });
});
