import { describe, expect, it } from "vitest";
import { loader } from "~/routes/healthz";

describe("GET /healthz", () => {
  it("answers 200 with the database reachable and no shop data", async () => {
    const response = await loader();
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: "ok", database: "reachable" });
    expect(Object.keys(body).sort()).toEqual(["database", "ms", "status"]);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});
