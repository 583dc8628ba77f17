import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { formatMoney } from "~/domain/money";
import { formatDate } from "./format";

export interface CustomerOrderView {
  id: string;
  name: string;
  placedAt: string;
  totalMinor: number;
  refundedMinor: number;
  currency: string;
  cancelled: boolean;
  test: boolean;
}

function status(order: CustomerOrderView) {
  if (order.test) return "Test";
  if (order.cancelled) return "Cancelled";
  if (order.refundedMinor >= order.totalMinor && order.totalMinor > 0) return "Refunded";
  if (order.refundedMinor > 0) return "Partly refunded";
  return "Paid";
}

/** The customer's orders, newest first, with what was refunded (shop currency). */
export function CustomerOrdersCard({ orders, truncated, timezone }: { orders: CustomerOrderView[]; truncated: boolean; timezone: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Orders
        </Text>
        {orders.length ? (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "numeric", "text"]}
            headings={["Order", "Date", "Total", "Refunded", "Status"]}
            rows={orders.map((o) => [
              o.name,
              formatDate(o.placedAt, timezone),
              formatMoney(o.totalMinor, o.currency),
              o.refundedMinor ? formatMoney(o.refundedMinor, o.currency) : "—",
              status(o),
            ])}
          />
        ) : (
          <Text as="p" tone="subdued">
            No orders recorded for this customer.
          </Text>
        )}
        {truncated ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {`Showing the latest ${orders.length} orders.`}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
