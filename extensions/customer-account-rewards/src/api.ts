import type { ShopperRedemption, ShopperRewardsView } from "../../../app/domain/loyalty/rewards-view";
import type { RewardsHost } from "./host";

const DEFAULT_APP_URL = "https://afterglow.example.com";

/**
 * The app's origin. `process.env.AFTERGLOW_APP_URL` is replaced at build time by esbuild's `define`
 * (scripts/build-extension.mjs); where nothing replaced it (tests, another bundler) the reference throws and the
 * default is used. See README.md.
 */
function appUrl(): string {
  let url: string | undefined;
  try {
    url = process.env.AFTERGLOW_APP_URL;
  } catch {
    url = undefined;
  }
  return (url || DEFAULT_APP_URL).replace(/\/+$/, "");
}

const rewardsEndpoint = () => `${appUrl()}/api/customer-account/rewards`;

async function call(host: RewardsHost, init: RequestInit = {}): Promise<Response> {
  const token = await host.sessionToken.get();
  return fetch(rewardsEndpoint(), { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } });
}

type LoadResult = { kind: "ok"; view: ShopperRewardsView } | { kind: "signin" } | { kind: "failed" };

/** The shopper's rewards. 401/403: the shopper must sign in (again); anything else that is not a view: failed. */
export async function loadRewards(host: RewardsHost): Promise<LoadResult> {
  try {
    const res = await call(host);
    if (res.status === 401 || res.status === 403) return { kind: "signin" };
    if (!res.ok) return { kind: "failed" };
    const view = (await res.json()) as ShopperRewardsView | null;
    if (!view || typeof view.balance !== "number" || !Array.isArray(view.rewards) || !Array.isArray(view.codes) || !Array.isArray(view.history)) {
      return { kind: "failed" };
    }
    return { kind: "ok", view };
  } catch {
    return { kind: "failed" };
  }
}

/**
 * What a redemption came to:
 * - issued: the code (201; 200 when the key had been used: the first click's redemption);
 * - pending: Shopify has not answered yet (202), the code shows once it has;
 * - insufficient: 409, the balance no longer pays for it (another redemption took the points, or a refund);
 * - refused: 422, Shopify refused the code (its reason), the points are back;
 * - unavailable: 404, the reward is switched off or gone;
 * - signin: 401/403;
 * - retry: no answer, 429 or 5xx: nothing is known, the same click may be sent again with the same key.
 */
export type RedeemResult =
  | { kind: "issued"; redemption: ShopperRedemption }
  | { kind: "pending" }
  | { kind: "insufficient"; balance: number | null }
  | { kind: "refused"; reason: string | null }
  | { kind: "unavailable" }
  | { kind: "signin" }
  | { kind: "retry" };

interface RedeemBody {
  redemption?: ShopperRedemption;
  balance?: number;
  errors?: Record<string, string>;
}

export async function redeem(host: RewardsHost, rewardId: number, idempotencyKey: string): Promise<RedeemResult> {
  let res: Response;
  let body: RedeemBody = {};
  try {
    res = await call(host, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ rewardId, idempotencyKey }) });
    body = ((await res.json().catch(() => null)) as RedeemBody | null) ?? {};
  } catch {
    return { kind: "retry" };
  }
  switch (res.status) {
    case 200:
    case 201:
      return body.redemption?.code ? { kind: "issued", redemption: body.redemption } : { kind: "pending" };
    case 202:
      return { kind: "pending" };
    case 409:
      return { kind: "insufficient", balance: typeof body.balance === "number" ? body.balance : null };
    case 422:
      return { kind: "refused", reason: typeof body.errors?.reward === "string" ? body.errors.reward : null };
    case 404:
      return { kind: "unavailable" };
    case 401:
    case 403:
      return { kind: "signin" };
    default:
      return { kind: "retry" };
  }
}

/** A client idempotency key: 128 random bits from the platform CSPRNG, as 32 hex digits. */
export function newIdempotencyKey(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}
