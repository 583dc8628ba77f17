import { BlockStack, Card, InlineStack, Tabs, Text } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import type { FigureView } from "./ScoreCard";
import { LineChart } from "./LineChart";

interface TrendBucket {
  label: string;
  answers: number;
  nps: FigureView;
  csat: FigureView;
  ces: FigureView;
}

const METRICS = [
  { id: "nps", content: "NPS", domain: [-100, 100] as [number, number], ticks: [-100, -50, 0, 50, 100], unit: "" },
  { id: "csat", content: "CSAT", domain: [0, 100] as [number, number], ticks: [0, 25, 50, 75, 100], unit: "%" },
  { id: "ces", content: "CES", domain: [1, 7] as [number, number], ticks: [1, 3, 5, 7], unit: "" },
] as const;

/** The scores per week or month, one metric at a time; `emptyHint` replaces the empty state when the shop has no answers at all. */
export function TrendCard({ trend, granularity, emptyHint }: { trend: TrendBucket[]; granularity: "week" | "month"; emptyHint: ReactNode }) {
  const [selected, setSelected] = useState(0);
  const metric = METRICS[selected] ?? METRICS[0];
  const points = trend.map((b) => {
    const figure = b[metric.id];
    const when = granularity === "week" ? `Week of ${b.label}` : b.label;
    return {
      label: b.label,
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
          <LineChart title={`${metric.content} by ${granularity}`} points={points} domain={metric.domain} ticks={[...metric.ticks]} />
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
