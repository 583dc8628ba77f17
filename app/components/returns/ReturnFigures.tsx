import { BlockStack, Card, DataTable, InlineGrid, Tabs, Text } from "@shopify/polaris";
import { memo, useDeferredValue, useState } from "react";
import { Chart } from "~/components/charts/Chart";
import { DateRangeBar, type RangeView } from "~/components/dashboard/DateRangeBar";
import { StatCard } from "~/components/StatCard";
import type { PeriodState } from "~/domain/cx/partial-period";
import { changeTone } from "~/domain/metric-tone";
import { formatMoney } from "~/domain/money";
import { axisMoney } from "~/components/charts/series";
import { bucketLabel, changeText, rateChangeText, returnRate } from "./figures-view";
import { formatUtcDay, formatUtcMonth } from "~/domain/dates";

interface Counts {
  orders: number;
  refundedOrders: number;
  grossMinor: number;
  refundedMinor: number;
}

interface FiguresView {
  range: RangeView;
  currency: string;
  granularity: "week" | "month";
  buckets: (Counts & { label: string; start: string; period: PeriodState })[];
  totals: Counts;
  previous: Counts;
  topItems: { productId: string | null; title: string; quantity: number; refundedMinor: number; orders: number }[];
}

const CHARTS = [
  { id: "rate", content: "Return rate" },
  { id: "refunded", content: "Refunded amount" },
] as const;

const count = (n: number) => n.toLocaleString("en-US");
/** The change as its sentence shows it (figures-view.ts): whole percent of the previous amount, rates to 0.1 points; null without a previous figure. */
const percentChange = (current: number, previous: number) => (previous === 0 ? null : Math.round(((current - previous) / previous) * 100));
const pointsChange = (current: number | null, previous: number | null) => (current === null || previous === null ? null : Math.round((current - previous) * 10) / 10);
const percent = (rate: number | null) => (rate === null ? "—" : `${rate.toLocaleString("en-US")}%`);

/** The chart of the selected tab (`which`, an index of CHARTS), redrawn only when it or the figures change. */
const ReturnsChart = memo(function ReturnsChart({ figures, which }: { figures: FiguresView; which: number }) {
  const { currency, granularity } = figures;
  const money = (minor: number) => formatMoney(minor, currency);
  const rates = figures.buckets.map((b) => returnRate(b.refundedOrders, b.orders));
  const when = (label: string) => (granularity === "week" ? `Week of ${formatUtcDay(label)}` : formatUtcMonth(label));
  const chart = CHARTS[which] ?? CHARTS[0];
  const hasData = figures.buckets.some((b) => b.orders > 0 || b.refundedMinor > 0);
  return (
    <>
      {!hasData ? (
        <Text as="p" tone="subdued">
          No orders or refunds in this period.
        </Text>
      ) : chart.id === "rate" ? (
        <Chart
          kind="line"
          title={`Return rate by ${granularity}`}
          name="Return rate"
          format={(v) => percent(Math.round(v * 10) / 10)}
          axes={`Vertical axis: return rate, % of orders placed. Horizontal axis: ${granularity === "week" ? "weeks, by their first day" : "months"}.`}
          points={figures.buckets.map((b, i) => {
            const value = rates[i] ?? null;
            return {
              label: bucketLabel(b.label, granularity),
              period: b.period,
              value,
              description:
                value === null
                  ? `${when(b.label)}: no orders placed`
                  : `${when(b.label)}: ${percent(value)} returned (${count(b.refundedOrders)} of ${count(b.orders)} orders)`,
            };
          })}
        />
      ) : (
        <Chart
          kind="bar"
          title={`Refunded amount by ${granularity}`}
          name="Refunded"
          format={(minor) => money(Math.round(minor))}
          axisFormat={(minor) => axisMoney(minor, currency)}
          axes={`Vertical axis: refunded amount, ${currency}. Horizontal axis: ${granularity === "week" ? "weeks, by their first day" : "months"}.`}
          points={figures.buckets.map((b) => ({
            label: bucketLabel(b.label, granularity),
            period: b.period,
            value: b.refundedMinor,
            description: `${when(b.label)}: ${money(b.refundedMinor)} refunded`,
          }))}
        />
      )}
    </>
  );
});

/**
 * Returns in the numbers for a date range (the dashboard's range picker): the return rate (orders with a refund, of
 * the orders placed) and the refunded amount against the previous period, per week or month as a chart, and the items
 * most refunded. Definitions: docs/decisions/014-returns-data.md.
 */
export function ReturnFigures({ figures }: { figures: FiguresView }) {
  const [selected, setSelected] = useState(0);
  // The tab answers the click at once; the chart it names is drawn after that paint, in a render React may interrupt,
  // so drawing it does not count against the click (INP).
  const shown = useDeferredValue(selected);
  const { totals, previous, currency, granularity } = figures;
  const money = (minor: number) => formatMoney(minor, currency);
  const rate = returnRate(totals.refundedOrders, totals.orders);
  const previousRate = returnRate(previous.refundedOrders, previous.orders);

  return (
    <BlockStack gap="400">
      <Text as="h2" variant="headingLg">
        Returns in the numbers
      </Text>
      <DateRangeBar range={figures.range} />
      <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
        <StatCard
          label="Return rate"
          value={percent(rate)}
          detail="Orders with a refund, of orders placed."
          change={{ text: rateChangeText(rate, previousRate), tone: changeTone("returnRate", pointsChange(rate, previousRate)) }}
        />
        <StatCard
          label="Refunded"
          value={money(totals.refundedMinor)}
          change={{ text: changeText(totals.refundedMinor, previous.refundedMinor), tone: changeTone("refundedAmount", percentChange(totals.refundedMinor, previous.refundedMinor)) }}
        />
        <StatCard label="Orders with a refund" value={count(totals.refundedOrders)} detail={`of ${count(totals.orders)} orders placed`} />
        <StatCard
          label="Gross sales"
          value={money(totals.grossMinor)}
          change={{ text: changeText(totals.grossMinor, previous.grossMinor), tone: changeTone("grossSales", percentChange(totals.grossMinor, previous.grossMinor)) }}
        />
      </InlineGrid>
      <Card>
        <BlockStack gap="300">
          <Text as="h3" variant="headingMd">
            {`Returns by ${granularity}`}
          </Text>
          <Tabs tabs={CHARTS.map((c) => ({ id: `returns-${c.id}`, content: c.content, accessibilityLabel: `${c.content} by ${granularity}` }))} selected={selected} onSelect={setSelected} />
          <ReturnsChart figures={figures} which={shown} />
          <Text as="p" variant="bodySm" tone="subdued">
            The return rate counts orders by the day they were placed; refunded amounts and items count refunds by the day they were made. Days are UTC days.
            Test and cancelled orders are left out.
          </Text>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h3" variant="headingMd">
            Items most refunded
          </Text>
          {figures.topItems.length ? (
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric"]}
              headings={["Item", "Units refunded", "Refunded", "Orders"]}
              rows={figures.topItems.map((item) => [item.title || "Untitled item", count(item.quantity), money(item.refundedMinor), count(item.orders)])}
            />
          ) : (
            <Text as="p" tone="subdued">
              No items were refunded in this period.
            </Text>
          )}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
