import { Banner, BlockStack, List, Text } from "@shopify/polaris";
import type { ReturnRuleDifference } from "~/domain/returns/shopify-rules";

interface ReturnRulesBannerProps {
  differences: readonly ReturnRuleDifference[];
  /** What depends on Afterglow's window on the page showing the banner. */
  consequence: string;
}

/**
 * Where Shopify's own return rules (Settings → Policies → Return rules) give another window than Afterglow's return
 * policy (decision 046), one line per Shopify profile that differs. Nothing when they agree or were never read.
 */
export function ReturnRulesBanner({ differences, consequence }: ReturnRulesBannerProps) {
  if (!differences.length) return null;
  return (
    <Banner tone="warning" title="Shopify's return rules give another return window">
      <BlockStack gap="200">
        <List>
          {differences.map((d) => (
            <List.Item key={d.profile}>{`${d.profile === "Default" ? "Shopify's default rules" : `Shopify's rules for ${d.profile}`}: ${d.shopify}. Afterglow: ${d.afterglow}.`}</List.Item>
          ))}
        </List>
        <Text as="p">
          {`Customers request returns under Shopify's rules (Settings → Policies → Return rules); ${consequence} Make the two windows the same so both say what your store does.`}
        </Text>
      </BlockStack>
    </Banner>
  );
}
