import { BlockStack, Card, Text } from "@shopify/polaris";

interface StatProps {
  label: string;
  value: string;
  detail?: string;
  /** The value's size: the dashboard's cards use the largest, a customer's facts a smaller one. */
  size?: "headingLg" | "heading2xl";
}

/** A figure with its label and an optional detail line under it. */
export function Stat({ label, value, detail, size = "heading2xl" }: StatProps) {
  return (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant={size}>
        {value}
      </Text>
      {detail ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {detail}
        </Text>
      ) : null}
    </BlockStack>
  );
}

/** A figure in a card of its own. */
export function StatCard(props: Omit<StatProps, "size">) {
  return (
    <Card>
      <Stat {...props} />
    </Card>
  );
}
