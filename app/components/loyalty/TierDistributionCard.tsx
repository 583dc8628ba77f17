import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { TierDistributionChart } from "./TierDistributionChart";

interface TierBucketView {
  slug: string | null;
  name: string;
  color: string | null;
  customers: number;
}

const percent = (part: number, whole: number) => (whole > 0 ? `${Math.round((part * 100) / whole)}%` : "0%");

/** How the shop's customers spread over the tiers, "No tier" included. */
export function TierDistributionCard({ buckets, recomputing }: { buckets: TierBucketView[]; recomputing: boolean }) {
  const total = buckets.reduce((sum, b) => sum + b.customers, 0);
  const noun = (n: number) => (n === 1 ? "customer" : "customers");
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Customers per tier
          </Text>
          <Text as="p" tone="subdued">
            {recomputing ? "Updating while tiers are recomputed…" : `${total.toLocaleString("en-US")} ${noun(total)}`}
          </Text>
        </InlineStack>
        {total === 0 ? (
          <Text as="p" tone="subdued">
            No customers yet. Customers appear here as Shopify sends their orders.
          </Text>
        ) : null}
        <TierDistributionChart
          title="Customers per tier"
          data={buckets.map((b) => ({
            key: b.slug ?? "none",
            label: b.name,
            value: b.customers,
            description: `${b.name}: ${b.customers.toLocaleString("en-US")} ${noun(b.customers)}`,
          }))}
        />
        <ul aria-label="Customers per tier" style={{ listStyle: "none", margin: 0, padding: 0, display: "flex", flexWrap: "wrap", gap: "var(--p-space-400)" }}>
          {buckets.map((b) => (
            <li key={b.slug ?? "none"} data-tier={b.slug ?? "none"} style={{ display: "flex", alignItems: "center", gap: "var(--p-space-100)" }}>
              <span aria-hidden style={{ width: 10, height: 10, borderRadius: 2, display: "inline-block", background: b.color ?? "var(--p-color-bg-fill-tertiary)" }} />
              <Text as="span" variant="bodySm" tone="subdued">
                {`${b.name}: ${b.customers.toLocaleString("en-US")} (${percent(b.customers, total)})`}
              </Text>
            </li>
          ))}
        </ul>
      </BlockStack>
    </Card>
  );
}
