import { BlockStack, Card, Text } from "@shopify/polaris";

/** An honest placeholder for a page whose feature has not shipped yet. */
export function ComingSoonCard({ heading, children }: { heading: string; children: string }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {heading}
        </Text>
        <Text as="p" tone="subdued">
          {children}
        </Text>
      </BlockStack>
    </Card>
  );
}
