import { afterEach, describe, expect, it, vi } from "vitest";
import { allowConsoleError } from "../tests/support/console";
import { handleError, logRenderError, whereThrown } from "./request-errors.server";

const lines = () => spy.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
let spy: ReturnType<typeof vi.spyOn>;

function failing() {
  return new TypeError("no customer jane.doe@example.com for search 'Jane Doe'");
}

afterEach(() => spy?.mockRestore());

describe("server errors", () => {
  it("logs a loader or action error as one line with method, path, name and place, never its message or query", () => {
    allowConsoleError();
    spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const request = new Request("https://afterglow.example.com/app/customers?q=jane.doe%40example.com", { method: "GET" });
    handleError(failing(), { request });
    expect(lines()).toHaveLength(1);
    const [line] = lines();
    expect(line).toMatchObject({ level: "error", msg: "request failed", method: "GET", path: "/app/customers", error: "TypeError" });
    expect(line!.where).toMatch(/request-errors\.server\.test\.ts:\d+:\d+$/);
    expect(JSON.stringify(line)).not.toMatch(/jane|doe|example\.com\/|%40/i);
  });

  it("stays silent for a request the browser aborted", () => {
    spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const controller = new AbortController();
    controller.abort();
    handleError(failing(), { request: new Request("https://afterglow.example.com/app", { signal: controller.signal }) });
    expect(spy).not.toHaveBeenCalled();
  });

  it("logs a streaming render error by name and place only", () => {
    allowConsoleError();
    spy = vi.spyOn(console, "error").mockImplementation(() => undefined);
    logRenderError(failing());
    expect(lines()).toEqual([expect.objectContaining({ msg: "render failed", error: "TypeError", where: expect.stringMatching(/:\d+:\d+$/) })]);
    expect(JSON.stringify(lines())).not.toMatch(/jane/i);
  });

  it("finds the innermost frame, not the message line, and nothing for a non-error", () => {
    const error = new Error("at (evil:1:2)");
    error.stack = "Error: at (evil:1:2)\n    at loader (/srv/build/server/index.js:10:20)\n    at next (/srv/x.js:1:1)";
    expect(whereThrown(error)).toBe("/srv/build/server/index.js:10:20");
    expect(whereThrown("a string")).toBeUndefined();
  });
});
