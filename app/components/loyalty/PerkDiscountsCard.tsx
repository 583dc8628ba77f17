import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { formatDate } from "~/domain/dates";

export interface PerkDiscountView {
  kind: "segment" | "discount";
  key: string;
  label: string;
  tiers: string[];
  state: "pending" | "active" | "failed" | "removing";
  reason: string | null;
  endsAt: string | null;
}

const BADGES: Record<PerkDiscountView["state"], { tone: "success" | "info" | "critical" | undefined; text: string }> = {
  active: { tone: "success", text: "Active" },
  pending: { tone: "info", text: "Pending" },
  failed: { tone: "critical", text: "Failed" },
  removing: { tone: undefined, text: "Removing" },
};

/**
 * Tier perks in Shopify (decision 039): each perk's automatic discount and each tier's customer segment, with its
 * state there (active, pending, failed with Shopify's reason and a Retry button, removing).
 */
export function PerkDiscountsCard({
  perks,
  timezone,
  retrying,
  onRetry,
}: {
  perks: PerkDiscountView[];
  timezone: string;
  /** The key of the perk being retried, if any. */
  retrying: string | null;
  onRetry(perk: PerkDiscountView): void;
}) {
  const discounts = perks.filter((p) => p.kind === "discount");
  const segments = perks.filter((p) => p.kind === "segment");
  const row = (perk: PerkDiscountView) => {
    const badge = BADGES[perk.state];
    const detail = [
      perk.kind === "discount" && perk.tiers.length ? `For ${perk.tiers.join(", ")}` : null,
      perk.kind === "discount" && perk.endsAt && perk.state === "active" ? `Ends ${formatDate(perk.endsAt, timezone)}, renewed daily` : null,
      perk.state === "failed" && perk.reason ? `Shopify: ${perk.reason}` : null,
    ].filter((part): part is string => part !== null);
    return (
      <div key={`${perk.kind}-${perk.key}`} data-perk={perk.key} data-perk-state={perk.state}>
        <InlineStack align="space-between" blockAlign="center" gap="300" wrap={false}>
          <BlockStack gap="050">
            <InlineStack gap="200" blockAlign="center">
              <Text as="p" fontWeight="semibold">
                {perk.label}
              </Text>
              <Badge tone={badge.tone}>{badge.text}</Badge>
            </InlineStack>
            {detail.length ? (
              <Text as="p" variant="bodySm" tone={perk.state === "failed" ? "critical" : "subdued"}>
                {detail.join(" · ")}
              </Text>
            ) : null}
          </BlockStack>
          {perk.state === "failed" ? (
            <Button size="slim" onClick={() => onRetry(perk)} loading={retrying === perk.key} disabled={retrying !== null} accessibilityLabel={`Retry: ${perk.label}`}>
              Retry
            </Button>
          ) : null}
        </InlineStack>
      </div>
    );
  };
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Tier perks in Shopify
        </Text>
        <Text as="p" tone="subdued">
          Each tier&apos;s discount and free shipping apply at checkout by themselves: an automatic discount per perk, limited to customer segments on the
          tier tags. Shopify allows 25 active automatic discounts per store.
        </Text>
        {perks.length === 0 ? (
          <Text as="p">No tier has a discount or free shipping in Shopify yet. Give a tier a perk and save the program.</Text>
        ) : (
          <BlockStack gap="300">
            {discounts.length ? (
              <Text as="h3" variant="headingSm">
                Automatic discounts
              </Text>
            ) : null}
            {discounts.map(row)}
            {segments.length ? (
              <Text as="h3" variant="headingSm">
                Customer segments
              </Text>
            ) : null}
            {segments.map(row)}
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}
