import { describe, expect, it } from "vitest";
import { versionInForce } from "./versions";

const v = (version: number, createdAt: string) => ({ version, createdAt: new Date(createdAt), label: `v${version}` });
const V1 = v(1, "2026-01-10T09:00:00Z");
const V2 = v(2, "2026-02-01T12:00:00Z");
const V3 = v(3, "2026-03-15T08:30:00Z");

describe("versionInForce", () => {
  it.each([
    ["placed after the newest version", [V1, V2, V3], "2026-04-01T00:00:00Z", "v3"],
    ["placed between two versions", [V1, V2, V3], "2026-02-20T00:00:00Z", "v2"],
    ["placed the same millisecond a version was saved: that version", [V1, V2, V3], "2026-02-01T12:00:00Z", "v2"],
    ["placed one millisecond before a version was saved: the one before", [V1, V2, V3], "2026-02-01T11:59:59.999Z", "v1"],
    ["placed before the first version: the first version", [V1, V2, V3], "2025-12-24T00:00:00Z", "v1"],
    ["versions in any order", [V3, V1, V2], "2026-02-20T00:00:00Z", "v2"],
    ["versions in any order, before the first", [V3, V2, V1], "2025-01-01T00:00:00Z", "v1"],
    ["a single version judges every order", [V2], "2020-01-01T00:00:00Z", "v2"],
    ["two versions saved the same millisecond: the higher number", [v(4, "2026-03-15T08:30:00Z"), V3], "2026-03-20T00:00:00Z", "v4"],
    ["the same, given the other way round", [V3, v(4, "2026-03-15T08:30:00Z")], "2026-03-20T00:00:00Z", "v4"],
    ["two first versions saved the same millisecond, placed before: the lower number", [v(6, "2026-01-10T09:00:00Z"), v(5, "2026-01-10T09:00:00Z"), V3], "2025-01-01T00:00:00Z", "v5"],
    ["the same, given the other way round", [v(5, "2026-01-10T09:00:00Z"), v(6, "2026-01-10T09:00:00Z"), V3], "2025-01-01T00:00:00Z", "v5"],
    ["an older version with a higher number", [v(9, "2026-01-01T00:00:00Z"), v(2, "2026-02-01T00:00:00Z")], "2026-03-01T00:00:00Z", "v2"],
    ["an older version with a higher number, placed before both", [v(2, "2026-02-01T00:00:00Z"), v(9, "2026-01-01T00:00:00Z")], "2025-03-01T00:00:00Z", "v9"],
  ])("%s", (_label, versions, placedAt, expected) => {
    expect(versionInForce(versions, new Date(placedAt))?.label).toBe(expected);
  });

  it("is null without any version", () => {
    expect(versionInForce([], new Date("2026-01-01T00:00:00Z"))).toBeNull();
  });

  it("returns the very object given, with its other fields", () => {
    const versions = [V1, V2];
    expect(versionInForce(versions, new Date("2026-03-01T00:00:00Z"))).toBe(V2);
  });
});
