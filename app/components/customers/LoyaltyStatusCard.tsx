import { BlockStack, Card, InlineGrid, ProgressBar, Text } from "@shopify/polaris";
import { formatDate } from "~/domain/dates";
import { formatCount } from "./format";
import { TierBadge } from "./TierBadge";
import type { CustomerProfile } from "~/services/customer-pages.server";

type LoyaltyStatusView = CustomerProfile["loyalty"];

/** The customer's tier, how far they are from the next one, and their points balance. */
export function LoyaltyStatusCard({
  loyalty,
  points,
  pending,
}: {
  loyalty: LoyaltyStatusView;
  points: number;
  /** Points waiting out their orders' return windows (decision 043); absent or 0: none. */
  pending?: { points: number; availableAt: string | null; timezone: string };
}) {
  const measure = `${loyalty.basis === "spend" ? "Net spend" : "Orders"}, ${loyalty.window === "lifetime" ? "lifetime" : "last 12 months"}`;
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Loyalty
        </Text>
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="400">
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm" tone="subdued">
              Current tier
            </Text>
            <TierBadge tier={loyalty.tier} />
            {loyalty.tier?.perks ? (
              <Text as="p" variant="bodySm" tone="subdued">
                {loyalty.tier.perks}
              </Text>
            ) : null}
          </BlockStack>
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm" tone="subdued">
              Points balance
            </Text>
            <Text as="p" variant="headingLg" id="points-balance">
              {formatCount(points)}
            </Text>
            {pending && pending.points > 0 ? (
              <Text as="p" variant="bodySm" tone="subdued" id="points-pending">
                {`${formatCount(pending.points)} pending${pending.availableAt ? `, next available on ${formatDate(pending.availableAt, pending.timezone)}` : ""}`}
              </Text>
            ) : null}
          </BlockStack>
        </InlineGrid>
        <BlockStack gap="100">
          <Text as="p">
            {`${measure}: `}
            <Text as="span" fontWeight="semibold">
              {loyalty.qualifyingLabel}
            </Text>
          </Text>
          {loyalty.next ? (
            <>
              <ProgressBar progress={loyalty.next.progressPercent} size="small" ariaLabelledBy="next-tier-progress" />
              <Text as="p" id="next-tier-progress" tone="subdued">
                {`${loyalty.next.remainingLabel} to go to ${loyalty.next.name} (${loyalty.next.thresholdLabel})`}
              </Text>
            </>
          ) : (
            <Text as="p" tone="subdued">
              {loyalty.tier ? "Top tier reached." : "No tier yet."}
            </Text>
          )}
        </BlockStack>
        {loyalty.stale ? (
          <Text as="p" variant="bodySm" tone="caution">
            The program changed since this tier was given; it updates when the recompute reaches this customer.
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
