import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { formatCount, formatDateTime, formatPointsChange } from "./format";
import type { CustomerProfile } from "~/services/customer-pages.server";

type LedgerRowView = CustomerProfile["ledger"][number];

const KINDS: Record<string, string> = {
  order: "Order",
  refund: "Refund",
  cancellation: "Cancellation",
  adjustment: "Adjustment",
  transfer: "Order moved",
};

function describe(row: LedgerRowView) {
  const parts = [row.orderName ? `Order ${row.orderName}` : null, row.note, row.staff ? `by ${row.staff}` : null].filter(Boolean);
  return parts.length ? parts.join(" · ") : "—";
}

/** The customer's points ledger, newest first. */
export function LedgerCard({ rows, total, timezone }: { rows: LedgerRowView[]; total: number; timezone: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Points history
        </Text>
        {rows.length ? (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "text"]}
            headings={["Date", "Kind", "Points", "Note"]}
            rows={rows.map((row) => [formatDateTime(row.createdAt, timezone), KINDS[row.kind] ?? row.kind, formatPointsChange(row.points), describe(row)])}
          />
        ) : (
          <Text as="p" tone="subdued">
            No points yet. Orders earn points; refunds and cancellations take them back.
          </Text>
        )}
        {total > rows.length ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {`Showing the latest ${formatCount(rows.length)} of ${formatCount(total)} entries.`}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
