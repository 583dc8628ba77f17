import { BlockStack, Card, Text } from "@shopify/polaris";
import type { ChangeTone } from "~/domain/metric-tone";

interface StatProps {
  label: string;
  value: string;
  detail?: string;
  /** The change against the previous period, toned by what it means for the merchant (changeTone, domain/metric-tone.ts). */
  change?: { text: string; tone: ChangeTone };
  /** The value's size: the dashboard's cards use the largest, a customer's facts a smaller one. */
  size?: "headingLg" | "heading2xl";
}

/** A figure with its label and an optional detail line under it. */
export function Stat({ label, value, detail, change, size = "heading2xl" }: StatProps) {
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
      {change ? (
        <Text as="p" variant="bodySm" tone={change.tone}>
          <span data-change-tone={change.tone}>{change.text}</span>
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
