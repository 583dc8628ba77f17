import type { Api as PageApi } from "@shopify/ui-extensions/customer-account.page.render";
import type { Api as ProfileBlockApi } from "@shopify/ui-extensions/customer-account.profile.block.render";

/**
 * The slice of the customer account extension API (the `shopify` global) the rewards page and block use; both
 * targets provide it, and the tests stub exactly this much (tests/support/extension-host.ts). Read from `globalThis`
 * on purpose: the admin's App Bridge declares a different `shopify` global in the same TypeScript program.
 */
interface SignalLike<T> {
  readonly value: T;
  subscribe(listener: (value: T) => void): () => void;
}

export interface RewardsHost {
  sessionToken: { get(): Promise<string> };
  i18n: {
    translate(key: string, options?: Record<string, string | number>): unknown;
    formatNumber(value: number, options?: Intl.NumberFormatOptions): string;
    formatCurrency(value: number, options?: Intl.NumberFormatOptions): string;
    formatDate(date: Date, options?: Intl.DateTimeFormatOptions): string;
  };
  localization: { language: SignalLike<{ isoCode: string }> };
}

// Compile-time proof that the real target APIs satisfy what we use (types only; erased from the bundle).
type PageApiFits = PageApi extends RewardsHost ? true : never;
type ProfileBlockApiFits = ProfileBlockApi extends RewardsHost ? true : never;
const _fits: [PageApiFits, ProfileBlockApiFits] = [true, true];
void _fits;

export function getHost(): RewardsHost {
  return (globalThis as unknown as { shopify: RewardsHost }).shopify;
}
