import { describe, expect, it } from "vitest";
import { connectRaw, prisma, readSql } from "./db.server";
import { errorName } from "./logger.server";

// errorName names a failure for the logs without its message (which may quote data).
const failure = (promise: PromiseLike<unknown>) => Promise.resolve(promise).then(() => expect.fail("expected a failure"), (error: unknown) => error);

describe("errorName", () => {
  it("names a plain error by its class and anything else by its type", () => {
    expect(errorName(new TypeError("secret@example.com"))).toBe("TypeError");
    expect(errorName("secret@example.com")).toBe("string");
    expect(errorName(undefined)).toBe("undefined");
  });

  it("names a PostgreSQL error by SQLSTATE and server routine, never its message", async () => {
    const error = await failure(readSql().$queryRaw`SELECT ${"secret@example.com"}::int`);
    expect(errorName(error)).toBe("postgres 22P02, at pg_strtoint32_safe");
  });

  it("adds the constraint a violation names", async () => {
    const connection = await connectRaw();
    try {
      await connection.query(`CREATE TEMP TABLE "NameProbe" (v text CONSTRAINT "NameProbe_v_key" UNIQUE)`);
      const insert = () => connection.query(`INSERT INTO "NameProbe" (v) VALUES ('secret@example.com')`);
      await insert();
      expect(errorName(await failure(insert()))).toBe("postgres 23505, constraint NameProbe_v_key, at _bt_check_unique");
    } finally {
      connection.release();
    }
  });

  it("names a Prisma raw-query failure with the server's code it wraps", async () => {
    const error = await failure(prisma.$queryRaw`SELECT ${"secret@example.com"}::int`);
    expect(errorName(error)).toBe("prisma P2010, postgres 22P02");
  });

  it("leaves out a constraint or routine that is not a plain identifier", () => {
    const error = Object.assign(new Error("x"), { code: "23505", severity: "ERROR", constraint: "a b", routine: "x;y" });
    expect(errorName(error)).toBe("postgres 23505");
  });
});
