import { Badge, BlockStack, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { formatMoney } from "~/domain/money";
import { Stat } from "../StatCard";
import { formatDate } from "~/domain/dates";
import { formatCount } from "./format";
import type { CustomerProfile } from "~/services/customer-pages.server";

/** The customer's facts as the service computes them (one definition: services/customer-pages.server.ts). */
type CustomerFactsView = Pick<
  CustomerProfile["customer"],
  "lifetimeNetMinor" | "rolling12NetMinor" | "orderCount" | "rolling12Orders" | "averageOrderMinor" | "firstOrderAt" | "lastOrderAt" | "status"
>;

function Fact(props: { label: string; value: string; detail?: string }) {
  return <Stat {...props} size="headingLg" />;
}

/** What the customer's orders add up to: spend, orders, average order value, first and last order. */
export function CustomerFactsCard({ facts, currency, timezone }: { facts: CustomerFactsView; currency: string; timezone: string }) {
  const money = (minor: number) => formatMoney(minor, currency);
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Facts
          </Text>
          <Badge tone={facts.status === "returning" ? "success" : "info"}>{facts.status === "returning" ? "Returning customer" : "New customer"}</Badge>
        </InlineStack>
        <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="400">
          <Fact label="Net spend, lifetime" value={money(facts.lifetimeNetMinor)} />
          <Fact label="Net spend, last 12 months" value={money(facts.rolling12NetMinor)} />
          <Fact
            label="Orders"
            value={formatCount(facts.orderCount)}
            detail={`${formatCount(facts.rolling12Orders)} in the last 12 months`}
          />
          <Fact label="Average order value" value={facts.averageOrderMinor === null ? "—" : money(facts.averageOrderMinor)} detail="Before refunds" />
          <Fact label="First order" value={formatDate(facts.firstOrderAt, timezone)} />
          <Fact label="Last order" value={formatDate(facts.lastOrderAt, timezone)} />
        </InlineGrid>
        <Text as="p" variant="bodySm" tone="subdued">
          Net spend is orders minus refunds, without test or cancelled orders.
        </Text>
      </BlockStack>
    </Card>
  );
}
