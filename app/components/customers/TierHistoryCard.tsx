import { BlockStack, Card, DataTable, Text, useBreakpoints } from "@shopify/polaris";
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

/** Every tier change of the customer, newest first; below the md breakpoint one line block per change (no sideways scroll). */
export function TierHistoryCard({ rows, timezone }: { rows: TierChangeView[]; timezone: string }) {
  const { mdDown } = useBreakpoints();
  const change = (row: TierChangeView) => `${row.from?.name ?? "No tier"} → ${row.to?.name ?? "No tier"}`;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Tier history
        </Text>
        {rows.length && mdDown ? (
          <BlockStack as="ul" gap="200">
            {rows.map((row, i) => (
              <li key={`${row.createdAt}-${i}`} style={{ listStyle: "none" }} data-tier-change>
                <Text as="p" fontWeight="semibold">
                  {change(row)}
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  {`${formatDateTime(row.createdAt, timezone)} · ${CAUSES[row.cause] ?? row.cause}`}
                </Text>
              </li>
            ))}
          </BlockStack>
        ) : rows.length ? (
          <DataTable
            columnContentTypes={["text", "text", "text"]}
            headings={["Date", "Change", "Why"]}
            rows={rows.map((row) => [
              formatDateTime(row.createdAt, timezone),
              change(row),
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
