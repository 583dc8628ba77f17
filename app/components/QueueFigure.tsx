import { BlockStack, Text } from "@shopify/polaris";

/**
 * One count of a queue of Shopify calls (pending, failed, delivered) under its label, as the Loyalty page's sync card
 * and the Flow page's sends card show them; `critical` colours the count when it is above zero.
 */
export function QueueFigure({ label, value, tone }: { label: string; value: number; tone?: "critical" }) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg" tone={tone && value > 0 ? tone : undefined}>
        {value.toLocaleString("en-US")}
      </Text>
    </BlockStack>
  );
}
