import { useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import { AppPage } from "~/components/AppPage";
import { titleMeta } from "~/components/page-title";
import { Chart } from "~/components/charts/Chart";
import { axisMoney } from "~/components/charts/series";
import { ImportCard } from "~/components/ImportCard";
import { StatCard } from "~/components/StatCard";
import { formatUtcMonth } from "~/domain/dates";
import { changeTone, type Metric } from "~/domain/metric-tone";
import { formatMoney } from "~/domain/money";
import { CxSection } from "~/components/dashboard/CxSection";
import { FollowUpTimesCard } from "~/components/dashboard/FollowUpTimesCard";
import { SEGMENT_PARAM } from "~/components/dashboard/SegmentsCard";
import { ImportOrdersButton, SetupGuide, ShowSetupGuide } from "~/components/dashboard/SetupGuide";
import { dashboardAction } from "./action.server";
import { dashboardLoader } from "./loader.server";

export const loader = dashboardLoader;
export const meta = titleMeta("Dashboard");
export const action = dashboardAction;

/**
 * A segment tab changes the URL only to keep the tab: the figures are already loaded, nothing to fetch again. Any other
 * navigation, a form, and a revalidation of the same URL (the import's progress polling) load them as usual.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ currentUrl, nextUrl, formMethod, defaultShouldRevalidate }) => {
  if (formMethod || currentUrl.pathname !== nextUrl.pathname || currentUrl.search === nextUrl.search) return defaultShouldRevalidate;
  const without = (url: URL) => {
    const params = new URLSearchParams(url.search);
    params.delete(SEGMENT_PARAM);
    params.sort();
    return params.toString();
  };
  return without(currentUrl) === without(nextUrl) ? false : defaultShouldRevalidate;
};

/** The change against the previous 30 days, coloured by what it means for the merchant. */
function change(metric: Metric, current: number, previous: number) {
  if (previous === 0) return { text: "no orders in the previous 30 days", tone: changeTone(metric, null) };
  const pct = Math.round(((current - previous) / previous) * 100);
  return { text: `${pct >= 0 ? "▲" : "▼"} ${Math.abs(pct)}% vs previous 30 days`, tone: changeTone(metric, pct) };
}

export default function Dashboard() {
  const { profile, current, previous, months, importJob, cx, setupGuide, followUpTimes } = useLoaderData<typeof loader>();
  const money = (minor: number) => formatMoney(minor, profile.currency);
  const net = current.grossMinor - current.refundedMinor;
  const importDone = setupGuide.steps.some((s) => s.id === "import-orders" && s.done);
  const refundRate = current.grossMinor ? Math.round((current.refundedMinor / current.grossMinor) * 1000) / 10 : 0;
  return (
    <AppPage title="Dashboard" subtitle={profile.name}>
      {setupGuide.dismissed ? null : <SetupGuide guide={setupGuide} />}
      <CxSection cx={cx} firstAnswerLink={setupGuide.surfaces.thankYou ? null : setupGuide.editorLinks.thankYou} timezone={profile.timezone} />
      <Text as="h2" variant="headingLg">
        Orders
      </Text>
      <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
        <StatCard label="Orders, last 30 days" value={current.orders.toLocaleString("en-US")} change={change("orders", current.orders, previous.orders)} />
        <StatCard label="Net revenue" value={money(net)} change={change("netRevenue", net, previous.grossMinor - previous.refundedMinor)} />
        <StatCard label="Customers who ordered" value={current.customers.toLocaleString("en-US")} />
        {/* A share of money, not of orders: the Returns page's return rate counts orders with a refund. */}
        <StatCard
          label="Refunded share of sales"
          value={`${refundRate}%`}
          detail={`${money(current.refundedMinor)} refunded of ${money(current.grossMinor)} sold (by amount; the Returns page's return rate counts orders)`}
        />
      </InlineGrid>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Net revenue by month
          </Text>
          {months.length ? (
            <Chart
              kind="bar"
              title="Net revenue by month"
              name="Net revenue"
              format={(minor) => money(Math.round(minor))}
              axisFormat={(minor) => axisMoney(minor, profile.currency)}
              axes={`Vertical axis: net revenue (sales less refunds), ${profile.currency}. Horizontal axis: months (UTC days).`}
              points={months.map((m) => ({
                label: formatUtcMonth(m.month, { year: m.month.slice(5) === "01" }),
                period: m.period,
                value: m.netMinor,
                description: `${formatUtcMonth(m.month)}: ${money(m.netMinor)} from ${m.orders.toLocaleString("en-US")} orders`,
              }))}
            />
          ) : (
            <BlockStack gap="200" inlineAlign="start">
              <Text as="p" tone="subdued">
                No orders in the last six months. New orders appear here as Shopify sends them
                {importDone ? "." : "; import your past orders to see your history."}
              </Text>
              {importDone ? null : <ImportOrdersButton label="Import your past orders" primary={false} />}
            </BlockStack>
          )}
        </BlockStack>
      </Card>
      <FollowUpTimesCard {...followUpTimes} />
      <ImportCard
        job={
          importJob
            ? {
                status: importJob.status,
                done: importJob.done,
                detail: importJob.detail,
                startedAt: String(importJob.startedAt),
                finishedAt: importJob.finishedAt ? String(importJob.finishedAt) : null,
                progress: importJob.progress,
              }
            : null
        }
        timezone={profile.timezone}
      />
      {setupGuide.dismissed ? <ShowSetupGuide completed={setupGuide.completed} total={setupGuide.steps.length} /> : null}
    </AppPage>
  );
}
