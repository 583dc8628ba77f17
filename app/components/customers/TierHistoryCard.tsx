import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { formatDateTime } from "~/domain/dates";
import type { CustomerProfile } from "~/services/customer-pages.server";

type TierChangeView = CustomerProfile["tierHistory"][number];

const CAUSES: Record<string, string> = {
  order: "Order",
  refund: "Refund",
  cancellation: "Cancellation",
  adjustment: "Points adjustment",
  recompute: "Program changed",
  sweep: "Rolling window (daily check)",
};

/** Every tier change of the customer, newest first. */
export function TierHistoryCard({ rows, timezone }: { rows: TierChangeView[]; timezone: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Tier history
        </Text>
        {rows.length ? (
          <DataTable
            columnContentTypes={["text", "text", "text"]}
            headings={["Date", "Change", "Why"]}
            rows={rows.map((row) => [
              formatDateTime(row.createdAt, timezone),
              `${row.from?.name ?? "No tier"} → ${row.to?.name ?? "No tier"}`,
              CAUSES[row.cause] ?? row.cause,
            ])}
          />
        ) : (
          <Text as="p" tone="subdued">
            No tier changes yet.
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
