import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";

/**
 * A short-lived in-process cache in front of the session storage (docs/decisions/012-webhook-hot-path.md).
 * Every webhook and admin request loads the shop's offline session; reading it through Prisma cost more than the
 * rest of a webhook's work. Entries live `TTL_MS` at most and are dropped on every store or delete through the
 * storage, and by `forgetShopSessions` when sessions are changed around it (uninstall, scope updates). Another
 * server process may serve a session up to `TTL_MS` old; a stale access token then fails once at the Admin API
 * and the library exchanges a new one.
 */
const TTL_MS = 10_000;
const MAX_ENTRIES = 10_000;

const entries = new Map<string, { session: Session | undefined; at: number }>();

export function forgetShopSessions(shop: string) {
  for (const [id, entry] of entries) if (entry.session?.shop === shop || id.includes(shop)) entries.delete(id);
}

/** Test seam: empties the cache (module state) so one test's sessions never answer another's. */
export function forgetAllSessions() {
  entries.clear();
}

/**
 * An online session as stored (decision 049): without the staff member's e-mail, which nothing in the app uses. The
 * library's session object is left as it is (a copy is stored).
 */
function withoutStaffEmail(session: Session): Session {
  const info = session.onlineAccessInfo;
  if (!info?.associated_user?.email) return session;
  const copy = new Session(session.toObject());
  copy.onlineAccessInfo = { ...info, associated_user: { ...info.associated_user, email: "" } };
  return copy;
}

export class CachedSessionStorage implements SessionStorage {
  constructor(private readonly inner: SessionStorage) {}

  async loadSession(id: string): Promise<Session | undefined> {
    const now = Date.now();
    const hit = entries.get(id);
    if (hit && now - hit.at < TTL_MS) return hit.session;
    const session = await this.inner.loadSession(id);
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(id, { session, at: now });
    return session;
  }

  async storeSession(session: Session): Promise<boolean> {
    entries.delete(session.id);
    const stored = await this.inner.storeSession(withoutStaffEmail(session));
    entries.delete(session.id);
    return stored;
  }

  async deleteSession(id: string): Promise<boolean> {
    entries.delete(id);
    return this.inner.deleteSession(id);
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    for (const id of ids) entries.delete(id);
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    return this.inner.findSessionsByShop(shop);
  }
}
