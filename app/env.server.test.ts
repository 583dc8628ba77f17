import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv, TEST_SEAMS } from "./env.server";

const REAL = {
  DATABASE_URL: "postgresql://afterglow:secret@db.internal:5432/afterglow",
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://afterglow.example.com",
};

describe("parseEnv", () => {
  it("accepts a complete production environment and fills defaults", () => {
    const env = parseEnv(REAL, false);
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_POOL_SIZE).toBe(10);
    expect(env.SCOPES).toContain("read_orders");
  });

  it("names every missing variable at once", () => {
    expect(() => parseEnv({}, false)).toThrow(/SHOPIFY_API_KEY[\s\S]*SHOPIFY_API_SECRET[\s\S]*SHOPIFY_APP_URL/);
  });

  it("refuses AFTERGLOW_DEMO=1 in a production build", () => {
    expect(() => parseEnv({ ...REAL, AFTERGLOW_DEMO: "1" }, false)).toThrow(EnvError);
    expect(() => parseEnv({ ...REAL, AFTERGLOW_DEMO: "1" }, false)).toThrow(/production build/);
  });

  it("gives the demo build documented defaults, overridable from the environment", () => {
    expect(parseEnv({ DATABASE_URL: REAL.DATABASE_URL }, true).SHOPIFY_API_SECRET).toBe("afterglow-demo-api-secret");
    expect(parseEnv({ DATABASE_URL: REAL.DATABASE_URL, SHOPIFY_API_SECRET: "mine" }, true).SHOPIFY_API_SECRET).toBe("mine");
  });

  it("keeps the demo build on loopback", () => {
    expect(parseEnv({ DATABASE_URL: REAL.DATABASE_URL, HOST: "127.0.0.1" }, true).HOST).toBe("127.0.0.1");
    expect(() => parseEnv({ DATABASE_URL: REAL.DATABASE_URL, HOST: "0.0.0.0" }, true)).toThrow(/loopback/);
  });

  it("requires a PostgreSQL DATABASE_URL", () => {
    expect(parseEnv({ ...REAL, DATABASE_URL: "postgres://a@b/c" }, false).DATABASE_URL).toBe("postgres://a@b/c");
    expect(() => parseEnv({ ...REAL, DATABASE_URL: "file:./prisma/dev.sqlite" }, false)).toThrow(/DATABASE_URL: must be a postgresql:\/\/ URL/);
    const { DATABASE_URL: _omitted, ...withoutUrl } = REAL;
    expect(() => parseEnv(withoutUrl, false)).toThrow(/DATABASE_URL: is required/);
  });

  it("honours the fault suite's test seams only with its explicit switch, AFTERGLOW_FAULT_TESTING=1", () => {
    const seams = { AFTERGLOW_TEST_ADMIN_API_ORIGIN: "http://127.0.0.1:3310", AFTERGLOW_TEST_TIME_SCALE: "0.02" };
    for (const NODE_ENV of ["production", "test"]) {
      const env = parseEnv({ ...REAL, NODE_ENV, AFTERGLOW_FAULT_TESTING: "1", ...seams }, false);
      expect(env.AFTERGLOW_TEST_ADMIN_API_ORIGIN).toBe("http://127.0.0.1:3310");
      expect(env.AFTERGLOW_TEST_TIME_SCALE).toBe(0.02);
    }
    for (const NODE_ENV of ["production", "development", "test", undefined]) {
      for (const AFTERGLOW_FAULT_TESTING of [undefined, "", "0"]) {
        expect(() => parseEnv({ ...REAL, NODE_ENV, AFTERGLOW_FAULT_TESTING, ...seams }, false)).toThrow(/AFTERGLOW_TEST_ADMIN_API_ORIGIN and AFTERGLOW_TEST_TIME_SCALE are test seams/);
        expect(() => parseEnv({ ...REAL, NODE_ENV, AFTERGLOW_FAULT_TESTING, AFTERGLOW_TEST_TIME_SCALE: "0.5" }, false)).toThrow(/honoured only with AFTERGLOW_FAULT_TESTING=1/);
      }
    }
  });

  it("refuses each test seam alone under NODE_ENV=production without the switch (every seam in TEST_SEAMS)", () => {
    const values: Record<(typeof TEST_SEAMS)[number], string> = { AFTERGLOW_TEST_ADMIN_API_ORIGIN: "http://127.0.0.1:3310", AFTERGLOW_TEST_TIME_SCALE: "0.02" };
    expect(TEST_SEAMS).toEqual(["AFTERGLOW_TEST_ADMIN_API_ORIGIN", "AFTERGLOW_TEST_TIME_SCALE"]);
    for (const seam of TEST_SEAMS) {
      expect(() => parseEnv({ ...REAL, NODE_ENV: "production", [seam]: values[seam] }, false)).toThrow(new RegExp(`^${seam} is a test seam, honoured only with AFTERGLOW_FAULT_TESTING=1`));
      expect(parseEnv({ ...REAL, NODE_ENV: "production", AFTERGLOW_FAULT_TESTING: "1", [seam]: values[seam] }, false)[seam]).toBeDefined();
    }
  });

  it("leaves every test seam off unless its own variable is set, the switch alone included", () => {
    for (const source of [REAL, { ...REAL, NODE_ENV: "production", AFTERGLOW_FAULT_TESTING: "1" }, { ...REAL, NODE_ENV: "test" }]) {
      const env = parseEnv(source, false);
      for (const seam of TEST_SEAMS) expect(env[seam], seam).toBeUndefined();
    }
  });

  it("lists every test seam and the switch in docs/architecture.md", () => {
    const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "architecture.md"), "utf8");
    for (const name of [...TEST_SEAMS, "AFTERGLOW_FAULT_TESTING"]) expect(doc, name).toMatch(new RegExp("`" + name + "[`=]"));
  });

  it("sends the Admin API only to a loopback stub, never elsewhere", () => {
    for (const origin of ["https://evil.example.com", "http://10.0.0.1:80", "http://127.0.0.1:3310/path", "file:///x"]) {
      expect(() => parseEnv({ ...REAL, NODE_ENV: "test", AFTERGLOW_FAULT_TESTING: "1", AFTERGLOW_TEST_ADMIN_API_ORIGIN: origin }, false)).toThrow(/AFTERGLOW_TEST_ADMIN_API_ORIGIN: /);
    }
  });
});
