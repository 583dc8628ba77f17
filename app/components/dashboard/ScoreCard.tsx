import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { changeTone, type Metric } from "~/domain/metric-tone";

export interface FigureView {
  value: number | null;
  count: number;
  margin: number | null;
  tooSmall: boolean;
}

/**
 * One score: its value, the change from the previous period (an arrow and a signed number), how many answers it
 * rests on and its 95 % margin of error, and a warning when the sample is too small to trust.
 */
export function ScoreCard(props: {
  id: string;
  /** Which way is good for this figure: the change's colour (domain/metric-tone.ts). */
  metric: Metric;
  label: string;
  figure: FigureView;
  format: (value: number) => string;
  delta: number | null;
  /** Unit of the change, e.g. "points". */
  deltaUnit: string;
  countLabel: string;
  marginFormat?: (margin: number) => string;
  extra?: string;
}) {
  const { id, metric, label, figure, format, delta, deltaUnit, countLabel, marginFormat = String, extra } = props;
  const trend = delta === null ? null : delta > 0 ? "▲" : delta < 0 ? "▼" : "→";
  const deltaText =
    delta === null ? "No figure for the previous period" : `${trend} ${delta > 0 ? "+" : ""}${delta} ${deltaUnit} vs previous period`;
  return (
    <Card>
      <BlockStack gap="150">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <InlineStack gap="200" blockAlign="center">
          <Text as="p" variant="heading2xl">
            <span id={`score-${id}`}>{figure.value === null ? "—" : format(figure.value)}</span>
          </Text>
          {figure.tooSmall ? <Badge tone="warning">Too few answers to trust</Badge> : null}
        </InlineStack>
        <Text as="p" variant="bodySm" tone={changeTone(metric, delta)}>
          <span data-change-tone={changeTone(metric, delta)}>{deltaText}</span>
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {figure.count.toLocaleString("en-US")} {countLabel}
          {figure.margin !== null ? `, ± ${marginFormat(figure.margin)} (95 % confidence)` : ""}
        </Text>
        {extra ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {extra}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
