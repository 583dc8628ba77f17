import { describe, expect, it } from "vitest";
import { sqlDate, sqlJson, sqlNullableNumber, sqlNumber, sqlStamp } from "./sql-values";

describe("raw query values", () => {
  it("reads numbers from number, bigint and NULL", () => {
    expect(sqlNumber(42)).toBe(42);
    expect(sqlNumber(9_007_199_254_740_991n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(sqlNumber(null)).toBe(0);
    expect(sqlNullableNumber(null)).toBeNull();
    expect(sqlNullableNumber(7n)).toBe(7);
  });

  it("reads timestamps stored as epoch milliseconds, returned as Date, digits or ISO text", () => {
    const at = new Date("2026-11-30T01:02:03.004Z");
    expect(sqlDate(at)).toBe(at);
    expect(sqlDate(at.getTime())).toEqual(at);
    expect(sqlDate(BigInt(at.getTime()))).toEqual(at);
    expect(sqlDate(String(at.getTime()))).toEqual(at);
    expect(sqlDate("2026-11-30T01:02:03.004Z")).toEqual(at);
    expect(sqlDate(null)).toBeNull();
    expect(sqlStamp(null)).toEqual(new Date(0));
    expect(sqlStamp(at.getTime())).toEqual(at);
  });
});

describe("JSON built in SQL", () => {
  it("reads json as parsed by node-postgres or as text, and its timestamps in PostgreSQL's ISO form", () => {
    expect(sqlJson({ a: 1 })).toEqual({ a: 1 });
    expect(sqlJson('[{"a":1}]')).toEqual([{ a: 1 }]);
    expect(sqlJson(null)).toBeNull();
    expect(sqlJson(undefined)).toBeNull();
    expect(sqlDate("2026-11-30T01:02:03.004+00:00")).toEqual(new Date("2026-11-30T01:02:03.004Z"));
  });
});
