import type { Api as ThankYouApi } from "@shopify/ui-extensions/purchase.thank-you.block.render";
import type { OrderStatusApi as OrderStatusBaseApi, StandardApi as CustomerAccountStandardApi } from "@shopify/ui-extensions/customer-account";
import { SURVEY_METAFIELD } from "../../../app/domain/survey/questions";

/**
 * The slice of the extension API (the `shopify` global) this extension uses. Both targets provide it; declaring
 * it here keeps the shared component free of target-specific types and lets the tests stub exactly this much.
 * The global is read from `globalThis` on purpose: the admin's App Bridge declares a different `shopify` global
 * in the same TypeScript program.
 */
type OrderStatusApi = OrderStatusBaseApi<"customer-account.order-status.block.render"> &
  CustomerAccountStandardApi<"customer-account.order-status.block.render">;

export interface SignalLike<T> {
  readonly value: T;
  subscribe(listener: (value: T) => void): () => void;
}

export interface AppMetafieldEntryLike {
  target: { type: string; id: string };
  metafield: { namespace: string; key: string; value: string | number | boolean };
}

export interface SurveyHost {
  shop: { name: string };
  sessionToken: { get(): Promise<string> };
  storage: { read<T = unknown>(key: string): Promise<T | null>; write(key: string, data: unknown): Promise<void> };
  i18n: { translate(key: string, options?: Record<string, string | number>): unknown };
  localization: { language: SignalLike<{ isoCode: string }> };
  appMetafields: SignalLike<AppMetafieldEntryLike[]>;
  /** The order's total as the page shows it (the checkout's cost on the thank-you page, the order's on order status). */
  cost: { totalAmount: SignalLike<{ amount: number; currencyCode: string } | undefined> };
}

export interface ThankYouHost extends SurveyHost {
  orderConfirmation: SignalLike<{ order: { id: string } } | undefined>;
}

export interface OrderStatusHost extends SurveyHost {
  order: SignalLike<{ id: string } | undefined>;
}

// Compile-time proof that the real target APIs satisfy what we use (types only; erased from the bundle).
// The order-status API is checked structurally through its target module's `Api` type without importing that
// module's component typings (they would clash with the checkout ones in the same program).
type ThankYouApiFits = ThankYouApi extends ThankYouHost ? true : never;
type OrderStatusApiFits = OrderStatusApi extends OrderStatusHost ? true : never;
const _fits: [ThankYouApiFits, OrderStatusApiFits] = [true, true];
void _fits;

export function getHost<T extends SurveyHost>(): T {
  return (globalThis as unknown as { shopify: T }).shopify;
}

/** `$app:afterglow` as declared in the toml; Shopify may hand it back resolved as `app--<id>--afterglow`. */
function namespaceMatches(actual: string, declared: string): boolean {
  if (actual === declared) return true;
  const suffix = declared.replace(/^\$app:/, "");
  return declared.startsWith("$app:") && new RegExp(`^app--\\d+--${suffix}$`).test(actual);
}

function findMetafield(
  entries: readonly AppMetafieldEntryLike[] | undefined,
  ownerType: string,
  namespace: string,
  key: string,
): AppMetafieldEntryLike["metafield"]["value"] | undefined {
  return entries?.find(
    (e) => e.target.type === ownerType && e.metafield.key === key && namespaceMatches(e.metafield.namespace, namespace),
  )?.metafield.value;
}

export const surveyConfigValue = (entries: readonly AppMetafieldEntryLike[] | undefined) =>
  findMetafield(entries, "shop", SURVEY_METAFIELD.namespace, SURVEY_METAFIELD.key);

const LOYALTY_METAFIELD = { namespace: "$app:loyalty", key: "status" } as const;

interface LoyaltyStatus {
  tier: string;
  tierSlug: string;
  points: number;
}

/** The customer's `$app:loyalty.status` JSON, or null when absent or malformed (guest checkouts have none). */
export function readLoyalty(entries: readonly AppMetafieldEntryLike[] | undefined): LoyaltyStatus | null {
  const raw = findMetafield(entries, "customer", LOYALTY_METAFIELD.namespace, LOYALTY_METAFIELD.key);
  if (typeof raw !== "string") return null;
  try {
    const v = JSON.parse(raw) as Partial<LoyaltyStatus> | null;
    if (!v || typeof v.tier !== "string" || !v.tier.trim()) return null;
    return {
      tier: v.tier,
      tierSlug: typeof v.tierSlug === "string" ? v.tierSlug : "",
      points: typeof v.points === "number" && Number.isFinite(v.points) ? v.points : 0,
    };
  } catch {
    return null;
  }
}
