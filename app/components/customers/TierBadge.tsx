import { Badge, InlineStack, Text } from "@shopify/polaris";

interface TierBadgeView {
  slug: string;
  name: string;
  color: string | null;
}

/** The tier's name in a Polaris Badge, after a dot in the tier's colour; "No tier" when there is none. */
export function TierBadge({ tier }: { tier: TierBadgeView | null }) {
  if (!tier) {
    return (
      <Text as="span" tone="subdued">
        No tier
      </Text>
    );
  }
  return (
    <InlineStack gap="100" blockAlign="center" wrap={false}>
      <span
        aria-hidden
        style={{ display: "inline-block", width: 10, height: 10, borderRadius: 5, background: tier.color ?? "var(--p-color-icon-secondary)" }}
      />
      <Badge>{tier.name}</Badge>
    </InlineStack>
  );
}
