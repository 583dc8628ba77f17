import { Banner, BlockStack, Box, Button, Card, InlineStack, Text, useBreakpoints } from "@shopify/polaris";
import { useState, type CSSProperties } from "react";
import { Chart } from "~/components/charts/Chart";
import { axisMoney } from "~/components/charts/series";
import { formatMoney } from "~/domain/money";
import type { AttributionRowView } from "~/domain/cx/attribution";

interface FigureLike {
  value: number | null;
  tooSmall: boolean;
}

const percent = (f: FigureLike) => (f.value === null ? "—" : `${f.value}%${f.tooSmall ? " *" : ""}`);
const nps = (f: FigureLike) => (f.value === null ? "—" : `${f.value}${f.tooSmall ? " *" : ""}`);
const tierMix = (row: AttributionRowView) =>
  row.tiers
    .slice(0, 3)
    .map((t) => `${t.label} ${Math.round((100 * t.answers) / row.answers)}%`)
    .join(", ") + (row.tiers.length > 3 ? ", …" : "");

const HEADINGS = ["Channel", "Answers", "Orders", "Net revenue", "New customers", "90-day revenue per customer", "Return rate", "NPS", "Tier mix"];
/** Columns whose figures align right; the channel and the tier mix are text. */
const NUMERIC = (i: number) => i > 0 && i < HEADINGS.length - 1;
const cellStyle = (i: number, strong = false): CSSProperties => ({
  padding: "var(--p-space-200) var(--p-space-300)",
  textAlign: NUMERIC(i) ? "right" : "left",
  whiteSpace: i === HEADINGS.length - 1 ? "normal" : "nowrap",
  fontWeight: strong ? "var(--p-font-weight-semibold)" : undefined,
  borderBottom: "var(--p-border-width-025) solid var(--p-color-border-secondary)",
});

/**
 * The figures as a table. Wider than a tablet, so below the md breakpoint each channel is a block of its own, its
 * figures one per line (as the other admin tables stack on a phone); above it, the region around the table scrolls
 * sideways if it must and takes keyboard focus to do so.
 */
function AttributionTable({ rows, total }: { rows: string[][]; total: string[] | null }) {
  const { mdDown } = useBreakpoints();
  if (mdDown) {
    return (
      <BlockStack gap="300">
        {[...rows, ...(total ? [total] : [])].map((row) => (
          <Box key={row[0]} paddingBlockEnd="200" borderBlockEndWidth="025" borderColor="border-secondary">
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                {row[0]}
              </Text>
              {row.slice(1).map((cell, i) => (
                <InlineStack key={HEADINGS[i + 1]} align="space-between" gap="200" wrap={false}>
                  <Text as="span" tone="subdued">
                    {HEADINGS[i + 1]}
                  </Text>
                  <Text as="span" alignment="end">
                    {cell}
                  </Text>
                </InlineStack>
              ))}
            </BlockStack>
          </Box>
        ))}
      </BlockStack>
    );
  }
  return (
    <div role="region" aria-label="Attribution by channel, table" tabIndex={0} style={{ overflowX: "auto" }}>
      <table style={{ borderCollapse: "collapse", minWidth: "100%", fontSize: "var(--p-font-size-325)" }}>
        <thead>
          <tr>
            {HEADINGS.map((heading, i) => (
              <th key={heading} scope="col" style={cellStyle(i, true)}>
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row[0]}>
              {row.map((cell, i) =>
                i === 0 ? (
                  <th key={i} scope="row" style={cellStyle(i)}>
                    {cell}
                  </th>
                ) : (
                  <td key={i} style={cellStyle(i)}>
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
        {total ? (
          <tfoot>
            <tr>
              {total.map((cell, i) =>
                i === 0 ? (
                  <th key={i} scope="row" style={cellStyle(i, true)}>
                    {cell}
                  </th>
                ) : (
                  <td key={i} style={cellStyle(i, true)}>
                    {cell}
                  </td>
                ),
              )}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}

/**
 * The attribution report: net revenue per channel as bars, then the table (answers, orders, net revenue,
 * new-customer share, 90-day revenue per customer, return rate, NPS, tier mix) with the total row, and the CSV
 * export of the same figures.
 */
export function AttributionReport({
  rows,
  total,
  currency,
  onExport,
}: {
  rows: AttributionRowView[];
  total: AttributionRowView | null;
  currency: string;
  onExport: () => Promise<void>;
}) {
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const money = (minor: string | null) => (minor === null ? "—" : formatMoney(minor, currency));
  const exportCsv = () => {
    setExporting(true);
    setExportError(null);
    onExport()
      .catch(() => setExportError("The export could not start. Reload the page and try again."))
      .finally(() => setExporting(false));
  };
  const line = (row: AttributionRowView) => [
    row.label,
    row.answers.toLocaleString("en-US"),
    row.orders.toLocaleString("en-US"),
    money(row.netMinor),
    percent(row.newCustomerShare),
    money(row.revenue90PerCustomerMinor),
    percent(row.returnRate),
    nps(row.nps),
    tierMix(row),
  ];
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Where customers heard about you
          </Text>
          <Button onClick={exportCsv} loading={exporting} disabled={!rows.length}>
            Export CSV
          </Button>
        </InlineStack>
        {exportError ? (
          <Banner tone="critical" onDismiss={() => setExportError(null)}>
            {exportError}
          </Banner>
        ) : null}
        {rows.length ? (
          <>
            <Chart
              kind="horizontal-bar"
              title="Net revenue of answered orders by channel"
              name="Net revenue"
              keyHeading="Channel"
              height={Math.max(80, rows.length * 44 + 16)}
              format={(minor) => formatMoney(Math.round(minor), currency)}
              axisFormat={(minor) => axisMoney(minor, currency)}
              axes={`Net revenue (${currency}) of the orders answered in this period, per channel; the bars' lengths compare the amounts.`}
              points={rows.map((r) => ({
                label: r.label,
                value: Number(r.netMinor),
                description: `${r.label}: ${money(r.netMinor)} from ${r.orders.toLocaleString("en-US")} orders`,
              }))}
            />
            <AttributionTable rows={rows.map(line)} total={total ? line(total) : null} />
          </>
        ) : (
          <Text as="p" tone="subdued">
            No answers in this period. Answers to the survey&apos;s &quot;How did you hear about us?&quot; question show here by channel.
          </Text>
        )}
        <Text as="p" variant="bodySm" tone="subdued">
          Answers given in the period, by their answer to &quot;How did you hear about us?&quot;. Orders and net revenue: the answered orders (not
          test orders, not cancelled), their totals less refunds. New customers: answers from a customer&apos;s first order, among first and repeat
          orders (guests not counted). 90-day revenue per customer: what the answering customer spent, net, in the 90 days after answering (answers
          from the last 90 days count what they have so far). Return rate: answered orders with a refund. Tiers are customers&apos; tiers now. * fewer
          than 30: too few to trust.
        </Text>
      </BlockStack>
    </Card>
  );
}
