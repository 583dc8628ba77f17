import { Link } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, InlineStack, Text } from "@shopify/polaris";
import { formatMoney } from "~/domain/money";
import { OrderLink } from "../OrderLink";
import type { CustomerProfile } from "~/services/customer-pages.server";
import { formatDate } from "~/domain/dates";
import { returnCostsText, returnStatusText } from "./return-text";

/** One order as the customer page's loader gives it, with each item's return eligibility (or null). */
type CustomerOrderView = CustomerProfile["orders"][number];

function status(order: CustomerOrderView) {
  if (order.test) return "Test";
  if (order.cancelled) return "Cancelled";
  if (order.refundedMinor >= order.totalMinor && order.totalMinor > 0) return "Refunded";
  if (order.refundedMinor > 0) return "Partly refunded";
  return "Paid";
}

function OrderReturns({ returns, currency, timezone }: { returns: NonNullable<CustomerOrderView["returns"]>; currency: string; timezone: string }) {
  const judged = returns.beforeFirstVersion
    ? `Judged by return policy version ${returns.version}, the first saved (the order is older).`
    : `Judged by return policy version ${returns.version}, in force when the order was placed.`;
  return (
    <BlockStack gap="150">
      <Text as="p" variant="bodySm" tone="subdued">
        {judged}
      </Text>
      {returns.items.length === 0 ? (
        <Text as="p" variant="bodySm" tone="subdued">
          No line items recorded for this order.
        </Text>
      ) : (
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {returns.items.map((item) => {
            const costs = returnCostsText(item, currency);
            return (
              <li key={item.lineItemId} data-returnable={item.returnable ? "yes" : "no"}>
                <Text as="span" fontWeight="medium">{`${item.title} × ${item.quantity}`}</Text>
                <Text as="span">{` — ${returnStatusText(item, timezone)}`}</Text>
                {costs.length ? (
                  <Text as="span" tone="subdued">
                    {` (${costs.join("; ")})`}
                  </Text>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </BlockStack>
  );
}

/**
 * The customer's orders, newest first, with what was refunded (shop currency) and, for each item, whether it can
 * still be returned and at what cost, under the return policy version in force when the order was placed.
 */
export function CustomerOrdersCard({
  orders,
  truncated,
  timezone,
  policySaved,
}: {
  orders: CustomerOrderView[];
  truncated: boolean;
  timezone: string;
  /** False when the shop never saved a return policy (no eligibility to show). */
  policySaved: boolean;
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Orders and returns
        </Text>
        {!policySaved && orders.length ? (
          <Text as="p" variant="bodySm" tone="subdued">
            Return eligibility shows here once a return policy is saved on the <Link to="/app/returns">Returns</Link> page.
          </Text>
        ) : null}
        {orders.length ? (
          <ol aria-label="Orders" style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {orders.map((o, i) => (
              <li key={o.id} data-order={o.name} style={{ borderTop: i ? "1px solid var(--p-color-border-secondary)" : undefined }}>
                <Box paddingBlock="300">
                  <BlockStack gap="200">
                    <InlineStack align="space-between" blockAlign="center" gap="200">
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="h3" variant="headingSm">
                          <OrderLink orderId={o.id} name={o.name} />
                        </Text>
                        <Badge tone={o.cancelled || o.test ? undefined : o.refundedMinor > 0 ? "attention" : "success"}>{status(o)}</Badge>
                      </InlineStack>
                      <Text as="p" tone="subdued">
                        {`${formatDate(o.placedAt, timezone)} · ${formatMoney(o.totalMinor, o.currency)}${
                          o.refundedMinor ? ` · ${formatMoney(o.refundedMinor, o.currency)} refunded` : ""
                        }`}
                      </Text>
                    </InlineStack>
                    {o.returns ? <OrderReturns returns={o.returns} currency={o.currency} timezone={timezone} /> : null}
                  </BlockStack>
                </Box>
              </li>
            ))}
          </ol>
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
