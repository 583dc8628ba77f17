import http from "node:http";
import type { Socket } from "node:net";

/**
 * A stand-in for Shopify's Admin GraphQL API as a real HTTP server on loopback. The app under test reaches it
 * through AFTERGLOW_TEST_ADMIN_API_ORIGIN: `https://<shop>/admin/api/<version>/graphql.json` becomes
 * `<origin>/<shop>/admin/api/<version>/graphql.json`. It keeps the Shopify-side state the outbox mirrors (tier tags
 * and the loyalty metafield per customer) and changes it only for calls it answers with success, and it can fail
 * calls the ways Shopify does: 5xx, 429 with Retry-After, GraphQL THROTTLED, a reset connection, or no answer.
 */
export type Failure =
  | { kind: "status"; status: number; retryAfter?: number }
  | { kind: "throttled" }
  | { kind: "reset" }
  | { kind: "hang" };

export interface StubCall {
  shop: string;
  apiVersion: string;
  operation: string;
  variables: Record<string, unknown>;
  accessToken: string | null;
  at: number;
  /** What the stub did: "ok" (answered with data; the state changed) or the failure kind. */
  outcome: "ok" | Failure["kind"] | "unknown-operation";
}

export interface CustomerMirror {
  tags: string[];
  metafield: unknown;
}

const PATH = /^\/([^/]+)\/admin\/api\/([^/]+)\/graphql\.json$/;

export class AdminStub {
  readonly calls: StubCall[] = [];
  /** Decides each call's fate; null answers it. */
  failWith: (call: Omit<StubCall, "outcome">) => Failure | null = () => null;
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly tags = new Map<string, Set<string>>();
  private readonly metafields = new Map<string, unknown>();
  /** Ids handed to created tier-perk segments and discounts. */
  private perkIds = 0;
  /** The automatic discounts held per shop ("<shop> <id>"): when each was made and its `$app:tier_perk` mark. */
  private readonly discounts = new Map<string, { shop: string; id: string; createdAt: string; mark: string | null }>();

  constructor(readonly port: number) {}

  get origin() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.port, "127.0.0.1", () => resolve());
    });
  }

  async close() {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Successful calls only, i.e. the ones Shopify would have applied. */
  get applied() {
    return this.calls.filter((c) => c.outcome === "ok");
  }

  /** The Shopify-side loyalty mirror: per shop, per customer GID, tags and metafield. */
  mirror(): Record<string, CustomerMirror> {
    const keys = new Set([...this.tags.keys(), ...this.metafields.keys()]);
    const out: Record<string, CustomerMirror> = {};
    for (const key of [...keys].sort()) {
      out[key] = { tags: [...(this.tags.get(key) ?? [])].sort(), metafield: this.metafields.get(key) ?? null };
    }
    return out;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = PATH.exec(req.url ?? "");
    if (req.method !== "POST" || !match) {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { query: string; variables?: Record<string, unknown> };
    const operation = /\b(?:query|mutation)\s+([A-Za-z0-9_]+)/.exec(body.query)?.[1] ?? "anonymous";
    const header = req.headers["x-shopify-access-token"];
    const call = {
      shop: match[1]!,
      apiVersion: match[2]!,
      operation,
      variables: body.variables ?? {},
      accessToken: typeof header === "string" ? header : null,
      at: Date.now(),
    };
    const failure = this.failWith(call);
    if (failure) {
      this.calls.push({ ...call, outcome: failure.kind });
      if (failure.kind === "hang") return; // never answered; the socket is destroyed on close()
      if (failure.kind === "reset") {
        req.socket.destroy();
        return;
      }
      if (failure.kind === "throttled") {
        const errors = [{ message: "Throttled", extensions: { code: "THROTTLED" } }];
        const cost = { requestedQueryCost: 10, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 50 } };
        json(res, 200, { errors, extensions: { cost } });
        return;
      }
      const headers: Record<string, string> = failure.retryAfter !== undefined ? { "Retry-After": String(failure.retryAfter) } : {};
      json(res, failure.status, { errors: http.STATUS_CODES[failure.status] ?? "Error" }, headers);
      return;
    }
    const data = this.apply(call.shop, operation, call.variables);
    this.calls.push({ ...call, outcome: data ? "ok" : "unknown-operation" });
    if (data) json(res, 200, { data });
    else json(res, 400, { errors: `the stub does not know ${operation}` });
  }

  /** A new automatic discount of `shop`, unmarked, made now. */
  private newDiscount(shop: string): string {
    const id = `gid://shopify/DiscountAutomaticNode/${++this.perkIds}`;
    this.discounts.set(`${shop} ${id}`, { shop, id, createdAt: new Date().toISOString(), mark: null });
    return id;
  }

  private apply(shop: string, operation: string, variables: Record<string, unknown>): unknown {
    const key = (id: unknown) => `${shop} ${String(id)}`;
    const tagsOf = (id: unknown) => {
      const k = key(id);
      if (!this.tags.has(k)) this.tags.set(k, new Set());
      return this.tags.get(k)!;
    };
    switch (operation) {
      case "AfterglowTagsAdd":
        for (const tag of variables.tags as string[]) tagsOf(variables.id).add(tag);
        return { tagsAdd: { userErrors: [] } };
      case "AfterglowTagsRemove":
        for (const tag of variables.tags as string[]) tagsOf(variables.id).delete(tag);
        return { tagsRemove: { userErrors: [] } };
      case "AfterglowMetafieldsSet": {
        const metafields = variables.metafields as { ownerId: string; value: string }[];
        for (const m of metafields) this.metafields.set(key(m.ownerId), JSON.parse(m.value));
        return { metafieldsSet: { metafields: metafields.map((_, i) => ({ id: `gid://shopify/Metafield/${i}` })), userErrors: [] } };
      }
      // Tier perks (app/shopify/perk-discounts.server.ts): a saved programme queues its segments and discounts.
      case "AfterglowPerkSegmentCreate":
        return { segmentCreate: { segment: { id: `gid://shopify/Segment/${++this.perkIds}` }, userErrors: [] } };
      case "AfterglowPerkSegmentUpdate":
        return { segmentUpdate: { segment: { id: variables.id }, userErrors: [] } };
      case "AfterglowPerkSegmentDelete":
        return { segmentDelete: { deletedSegmentId: variables.id, userErrors: [] } };
      case "AfterglowPerkDiscountBasicCreate":
        return { discountAutomaticBasicCreate: { automaticDiscountNode: { id: this.newDiscount(shop) }, userErrors: [] } };
      case "AfterglowPerkDiscountFreeShippingCreate":
        return { discountAutomaticFreeShippingCreate: { automaticDiscountNode: { id: this.newDiscount(shop) }, userErrors: [] } };
      case "AfterglowPerkDiscountBasicUpdate":
        return { discountAutomaticBasicUpdate: { automaticDiscountNode: { id: variables.id }, userErrors: [] } };
      case "AfterglowPerkDiscountFreeShippingUpdate":
        return { discountAutomaticFreeShippingUpdate: { automaticDiscountNode: { id: variables.id }, userErrors: [] } };
      case "AfterglowPerkDiscountDelete":
        this.discounts.delete(key(variables.id));
        return { discountAutomaticDelete: { deletedAutomaticDiscountId: variables.id, userErrors: [] } };
      // A new install's look for its earlier perk discounts, and the mark each new one gets (decision 048).
      case "AfterglowPerkDiscountMark": {
        const metafields = variables.metafields as { ownerId: string; value: string }[];
        for (const m of metafields) {
          const discount = this.discounts.get(key(m.ownerId));
          if (discount) discount.mark = m.value;
        }
        return { metafieldsSet: { metafields: metafields.map((_, i) => ({ id: `gid://shopify/Metafield/${i}` })), userErrors: [] } };
      }
      case "AfterglowEarlierPerkDiscounts": {
        const nodes = [...this.discounts.values()]
          .filter((d) => d.shop === shop)
          .map((d) => ({ id: d.id, mark: d.mark === null ? null : { value: d.mark }, automaticDiscount: { createdAt: d.createdAt } }));
        return { automaticDiscountNodes: { nodes, pageInfo: { hasNextPage: false, endCursor: null } } };
      }
      default:
        return null;
    }
  }
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(JSON.stringify(body));
}
