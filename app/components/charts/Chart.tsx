import { BlockStack, Text } from "@shopify/polaris";
import { lazy, Suspense, useSyncExternalStore } from "react";
import { ChartDataTable } from "../ChartDataTable";
import { isPartial, partialNote, pointKey } from "./series";
import type { VizChartProps } from "./VizChart";

const VizChart = lazy(() => import("./VizChart"));

const subscribe = () => () => {};
/** False in the server render and while hydrating, true once the page runs in the browser. */
function useHydrated() {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

interface ChartProps extends VizChartProps {
  /** The chart's accessible name and the data table's caption ("NPS by week"). */
  title: string;
  /** What the axes show, with units ("Vertical axis: NPS, −100 to 100. Horizontal: weeks, by their first day (UTC)."). */
  axes: string;
  /** Height in pixels, reserved before the chart loads (no layout shift). */
  height?: number;
  /** The data table's first column ("Period", "Tier"). */
  keyHeading?: string;
}

/**
 * A chart of the admin pages: polaris-viz, loaded lazily once the page runs in the browser (a skeleton of the same
 * size until then), with its axes described in words and the same figures as a table for screen readers. Partial
 * periods are drawn dashed or lighter, labelled "so far" (in progress) or "part" (range covers part of it), and
 * named under the chart.
 */
export function Chart({ title, axes, height = 220, keyHeading, ...viz }: ChartProps) {
  const hydrated = useHydrated();
  const skeleton = <div data-chart-skeleton="" style={{ height: "100%", borderRadius: 8, background: "var(--p-color-bg-surface-secondary)" }} />;
  const partial = viz.points.filter(isPartial);
  return (
    <BlockStack gap="200">
      <div role="img" aria-label={title} data-chart={viz.kind} data-chart-ready={hydrated ? "" : undefined} style={{ height, minWidth: 0 }}>
        {hydrated ? (
          <Suspense fallback={skeleton}>
            <VizChart {...viz} />
          </Suspense>
        ) : (
          skeleton
        )}
      </div>
      <Text as="p" variant="bodySm" tone="subdued">
        {axes}
        {partial.length
          ? ` ${partial.map((p) => pointKey(p)).join(", ")}: ${partial.length === 1 ? "a partial period" : "partial periods"}, drawn ${viz.kind === "line" ? "dashed" : "lighter"}.`
          : ""}
      </Text>
      <ChartDataTable
        title={title}
        keyHeading={keyHeading}
        rows={viz.points.map((p) => ({ key: p.label, label: pointKey(p), description: `${p.description}${partialNote(p)}`, partial: isPartial(p) }))}
      />
    </BlockStack>
  );
}
