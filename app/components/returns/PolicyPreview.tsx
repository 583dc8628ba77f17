import { Banner, BlockStack, Box, Card, Select, Text } from "@shopify/polaris";
import { useMemo } from "react";
import { RETURN_LOCALES, type ReturnLocale, type ReturnPolicy } from "~/domain/returns/policy";
import { policyDocument, policySummary } from "~/domain/returns/policy-text";
import { LOCALE_OPTIONS } from "~/routes/app.returns/policy-form";
import { PolicyText } from "./PolicyText";

/**
 * What shoppers will read, as the merchant types: the one-line summary (shown after checkout) and the full refund
 * policy, in a language of the merchant's choosing. `stale` means the form has errors and this is the last valid state.
 */
export function PolicyPreview({
  policy,
  stale,
  currency,
  locale,
  onLocaleChange,
}: {
  policy: ReturnPolicy;
  stale: boolean;
  currency: string;
  locale: ReturnLocale;
  onLocaleChange(locale: ReturnLocale): void;
}) {
  const summary = useMemo(() => policySummary(policy, { locale, currency }), [policy, locale, currency]);
  const document = useMemo(() => policyDocument(policy, { locale, currency }), [policy, locale, currency]);
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Preview
        </Text>
        <Select
          label="Preview language"
          options={LOCALE_OPTIONS}
          value={locale}
          onChange={(value) => onLocaleChange((RETURN_LOCALES as readonly string[]).includes(value) ? (value as ReturnLocale) : "en")}
        />
        {stale ? <Banner tone="warning" title="Showing the last valid settings: complete or correct the settings to update the preview." /> : null}
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm">
            One-line summary
          </Text>
          <Box padding="300" background="bg-surface-secondary" borderRadius="200">
            <Text as="p" fontWeight="semibold">
              <span lang={locale} data-testid="policy-summary">
                {summary}
              </span>
            </Text>
          </Box>
          <Text as="p" variant="bodySm" tone="subdued">
            Shoppers see this under the survey on the thank-you and order status pages, in their language.
          </Text>
        </BlockStack>
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm">
            Refund policy text
          </Text>
          <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
            <div data-testid="policy-preview-text">
              <PolicyText document={document} headingLevel="h4" lang={locale} />
            </div>
          </Box>
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
