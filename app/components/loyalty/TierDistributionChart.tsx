import { Chart } from "~/components/charts/Chart";

interface TierBar {
  /** Stable key (tier slug, or "none"). */
  key: string;
  label: string;
  value: number;
  /** What the data table says for this bar, e.g. "Gold: 42 customers". */
  description: string;
}

/**
 * Horizontal bars, one per tier, with the count at the end of each bar (polaris-viz, loaded lazily: Chart.tsx). One
 * series, so one colour: polaris-viz colours by series, not by bar, and the card's list beside it carries each
 * tier's colour. A customer count is a current state, not a period, so nothing here is partial.
 */
export function TierDistributionChart({ data, title }: { data: TierBar[]; title: string }) {
  return (
    <Chart
      kind="horizontal-bar"
      title={title}
      name="Customers"
      keyHeading="Tier"
      height={Math.max(80, data.length * 44 + 16)}
      format={(v) => Math.round(v).toLocaleString("en-US")}
      axes="Customers per tier, counted now; the bars' lengths compare the counts."
      points={data.map((d) => ({ label: d.label, value: d.value, description: d.description }))}
    />
  );
}
