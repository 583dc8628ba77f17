import { createHmac, randomUUID } from "node:crypto";
import { mulberry32 } from "~/demo/random";
import { SHOPIFY_API_VERSION } from "~/shopify/api-version";
import { FAULTS_SECRET } from "./paths";

/** One webhook delivery as Shopify makes it: the same id, body and signature on every retry. */
export interface Delivery {
  shop: string;
  topic: string;
  webhookId: string;
  body: string;
}

export interface DeliveryResult {
  /** HTTP status, or null when no answer came (connection refused or reset, or no answer within 5 s). */
  status: number | null;
  error?: string;
  ms: number;
}

/** Shopify waits 5 s for an answer; anything later counts as a failed delivery and is retried. */
export const SHOPIFY_TIMEOUT_MS = 5000;

export function delivery(shop: string, topic: string, payload: unknown, webhookId: string = randomUUID()): Delivery {
  return { shop, topic, webhookId, body: JSON.stringify(payload) };
}

export function hmac(body: string, secret = FAULTS_SECRET): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export function webhookHeaders(d: Delivery, secret = FAULTS_SECRET): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "X-Shopify-Topic": d.topic,
    "X-Shopify-Shop-Domain": d.shop,
    "X-Shopify-API-Version": SHOPIFY_API_VERSION,
    "X-Shopify-Webhook-Id": d.webhookId,
    "X-Shopify-Event-Id": d.webhookId,
    "X-Shopify-Triggered-At": new Date().toISOString(),
    "X-Shopify-Hmac-Sha256": hmac(d.body, secret),
  };
}

/** POSTs one signed delivery to `<baseUrl>/webhooks/<topic>`. Never throws: failures come back as `status: null`. */
export async function send(baseUrl: string, d: Delivery): Promise<DeliveryResult> {
  const started = performance.now();
  try {
    const response = await fetch(`${baseUrl}/webhooks/${d.topic}`, {
      method: "POST",
      headers: webhookHeaders(d),
      body: d.body,
      signal: AbortSignal.timeout(SHOPIFY_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return { status: response.status, ms: performance.now() - started };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return { status: null, error: `${error instanceof Error ? error.name : String(error)}${cause}`, ms: performance.now() - started };
  }
}

/** Runs `work` over `items` with at most `concurrency` at a time; results in item order. */
export async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** A small seeded PRNG (mulberry32), so every run of a scenario is the same. */
export function random(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    chance: (p: number) => next() < p,
    shuffle<T>(items: readonly T[]): T[] {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
  };
}
