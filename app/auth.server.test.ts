import { Session } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { staffLabel } from "./auth.server";

const online = (user: { first_name: string; last_name: string; email: string }) => {
  const session = new Session({ id: "online_1", shop: "a.myshopify.com", state: "s", isOnline: true });
  session.onlineAccessInfo = {
    expires_in: 3600,
    associated_user_scope: "read_orders",
    associated_user: { id: 77, account_owner: false, locale: "en", collaborator: false, email_verified: true, ...user },
  };
  return session;
};
const offline = new Session({ id: "offline_a.myshopify.com", shop: "a.myshopify.com", state: "s", isOnline: false });

describe("who is acting (staffLabel)", () => {
  it("names the online session's user, else their email", () => {
    expect(staffLabel({ session: online({ first_name: "Ada", last_name: "Lovelace", email: "ada@example.com" }), userId: "77" })).toBe("Ada Lovelace");
    expect(staffLabel({ session: online({ first_name: "", last_name: "", email: "ada@example.com" }), userId: "77" })).toBe("ada@example.com");
  });

  it("falls back to the session token's user id, and to null without one", () => {
    expect(staffLabel({ session: offline, userId: "12345" })).toBe("Staff user 12345");
    expect(staffLabel({ session: offline, userId: null })).toBeNull();
  });
});
