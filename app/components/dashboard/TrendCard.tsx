import { BlockStack, Card, InlineStack, Tabs, Text } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import { Chart } from "~/components/charts/Chart";
import { bucketLabel } from "~/components/returns/figures-view";
import type { PeriodState } from "~/domain/cx/partial-period";
import type { FigureView } from "./ScoreCard";
import { formatUtcDay, formatUtcMonth } from "~/domain/dates";

interface TrendBucket {
  label: string;
  /** Whole week or month, or partial (in progress, or cut by the range): from the service. */
  period: PeriodState;
  answers: number;
  nps: FigureView;
  csat: FigureView;
  ces: FigureView;
}

const METRICS = [
  { id: "nps", content: "NPS", unit: "", axis: "NPS (a score from −100 to 100)" },
  { id: "csat", content: "CSAT", unit: "%", axis: "CSAT, % of answers satisfied" },
  { id: "ces", content: "CES", unit: "", axis: "CES, the average answer from 1 to 7 (higher is easier)" },
] as const;

/** The scores per week or month, one metric at a time; `emptyHint` replaces the empty state when the shop has no answers at all. */
export function TrendCard({ trend, granularity, emptyHint }: { trend: TrendBucket[]; granularity: "week" | "month"; emptyHint: ReactNode }) {
  const [selected, setSelected] = useState(0);
  const metric = METRICS[selected] ?? METRICS[0];
  const points = trend.map((b) => {
    const figure = b[metric.id];
    const when = granularity === "week" ? `Week of ${formatUtcDay(b.label)}` : formatUtcMonth(b.label);
    return {
      label: bucketLabel(b.label, granularity),
      period: b.period,
      value: figure.value,
      description:
        figure.value === null
          ? `${when}: no ${metric.content} answers`
          : `${when}: ${metric.content} ${figure.value}${metric.unit} from ${figure.count} answers${figure.tooSmall ? " (too few to trust)" : ""}`,
    };
  });
  const answered = trend.some((b) => b[metric.id].value !== null);
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Trend by {granularity}
          </Text>
        </InlineStack>
        <Tabs tabs={METRICS.map((m) => ({ id: `trend-${m.id}`, content: m.content, accessibilityLabel: `${m.content} trend` }))} selected={selected} onSelect={setSelected} />
        {answered ? (
          <Chart
            kind="line"
            title={`${metric.content} by ${granularity}`}
            name={metric.content}
            points={points}
            format={(v) => `${Math.round(v * 10) / 10}${metric.unit}`}
            axes={`Vertical axis: ${metric.axis}. Horizontal axis: ${granularity === "week" ? "weeks, by their first day" : "months"} (UTC days).`}
          />
        ) : (
          (emptyHint ?? (
            <Text as="p" tone="subdued">
              No {metric.content} answers in this period.
            </Text>
          ))
        )}
      </BlockStack>
    </Card>
  );
}
