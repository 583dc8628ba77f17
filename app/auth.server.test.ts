import { describe, expect, it } from "vitest";
import { staffLabel } from "./auth.server";

describe("who is acting (staffLabel)", () => {
  it("names the online session's user, first and last name or the one given", () => {
    expect(staffLabel({ staff: { firstName: "Ada", lastName: "Lovelace" }, userId: "77" })).toBe("Ada Lovelace");
    expect(staffLabel({ staff: { firstName: null, lastName: "Lovelace" }, userId: "77" })).toBe("Lovelace");
    expect(staffLabel({ staff: { firstName: "Ada", lastName: null }, userId: "77" })).toBe("Ada");
  });

  it("falls back to the session token's user id, and to null without one", () => {
    expect(staffLabel({ staff: { firstName: null, lastName: null }, userId: "12345" })).toBe("Staff user 12345");
    expect(staffLabel({ staff: null, userId: "12345" })).toBe("Staff user 12345");
    expect(staffLabel({ userId: "1".repeat(60) })).toBe(`Staff user ${"1".repeat(40)}`);
    expect(staffLabel({ userId: null })).toBeNull();
  });
});
