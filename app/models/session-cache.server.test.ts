import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CachedSessionStorage, forgetAllSessions, forgetShopSessions } from "./session-cache.server";

function innerStorage() {
  const rows = new Map<string, Session>();
  const inner: SessionStorage = {
    loadSession: vi.fn(async (id: string) => rows.get(id)),
    storeSession: vi.fn(async (s: Session) => (rows.set(s.id, s), true)),
    deleteSession: vi.fn(async (id: string) => rows.delete(id)),
    deleteSessions: vi.fn(async (ids: string[]) => (ids.forEach((id) => rows.delete(id)), true)),
    findSessionsByShop: vi.fn(async (shop: string) => [...rows.values()].filter((s) => s.shop === shop)),
  };
  return { rows, inner };
}

const offline = (shop: string, token: string) => {
  const s = new Session({ id: `offline_${shop}`, shop, state: "s", isOnline: false });
  s.accessToken = token;
  return s;
};

describe("CachedSessionStorage", () => {
  afterEach(() => {
    forgetAllSessions();
    vi.useRealTimers();
  });

  it("serves a loaded session from memory until it is 10 seconds old", async () => {
    vi.useFakeTimers();
    const { rows, inner } = innerStorage();
    rows.set("offline_a.myshopify.com", offline("a.myshopify.com", "t1"));
    const cached = new CachedSessionStorage(inner);
    expect((await cached.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("t1");
    rows.set("offline_a.myshopify.com", offline("a.myshopify.com", "t2"));
    expect((await cached.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("t1");
    expect(inner.loadSession).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_001);
    expect((await cached.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("t2");
    expect(inner.loadSession).toHaveBeenCalledTimes(2);
  });

  it("never serves a session after it was stored anew or deleted through it, or forgotten for its shop", async () => {
    const { inner } = innerStorage();
    const cached = new CachedSessionStorage(inner);
    await cached.storeSession(offline("a.myshopify.com", "t1"));
    expect((await cached.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("t1");
    await cached.storeSession(offline("a.myshopify.com", "t2"));
    expect((await cached.loadSession("offline_a.myshopify.com"))?.accessToken).toBe("t2");
    await cached.deleteSession("offline_a.myshopify.com");
    expect(await cached.loadSession("offline_a.myshopify.com")).toBeUndefined();

    await cached.storeSession(offline("b.myshopify.com", "b1"));
    expect((await cached.loadSession("offline_b.myshopify.com"))?.accessToken).toBe("b1");
    await inner.deleteSessions(["offline_b.myshopify.com"]); // behind the cache's back, as an uninstall does
    forgetShopSessions("b.myshopify.com");
    expect(await cached.loadSession("offline_b.myshopify.com")).toBeUndefined();
  });
});
