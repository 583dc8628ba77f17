import "@shopify/polaris-viz/build/esm/styles.css";
import { BarChart, LineChart, PolarisVizProvider, SimpleBarChart } from "@shopify/polaris-viz";
import { useEffect, useRef } from "react";
import { barSeries, CHART_COLORS, lineSeries, pointKey, type ChartPoint } from "./series";

export interface VizChartProps {
  kind: "line" | "bar" | "horizontal-bar";
  /** The series' name, shown in the tooltip and legend ("NPS", "Refunded"). */
  name: string;
  points: ChartPoint[];
  /** Formats a value for the tooltip (and the value axis unless `axisFormat`), with its unit ("12%", "$1,200.00"). */
  format: (value: number) => string;
  /** A shorter format for the value axis ("$1.2K"). */
  axisFormat?: (value: number) => string;
}

const formatter = (format: (value: number) => string) => (value: string | number | null) =>
  value === null ? "—" : typeof value === "number" ? format(value) : value;

/** Straight segments between points: polaris-viz's default spline overshoots (a rate dipping below its lowest week). */
const THEMES = { Light: { line: { hasSpline: false } } };

const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * Keeps the drawing out of the accessibility tree and the tab order: the chart is one image named by Chart.tsx, and
 * its figures are read from the data table beside it. polaris-viz's own ARIA fails axe (an SVG `role="table"` whose
 * children are lists and points, points with `role="image"` labelled by a tooltip that is not there, decision 032),
 * so its subtree is `aria-hidden`, and what it makes focusable (its points, for keyboard tooltips) is taken out of
 * the tab order, as it re-renders too. Hover tooltips still work.
 */
function useHiddenDrawing() {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const unfocus = () => root.querySelectorAll(FOCUSABLE).forEach((el) => el.setAttribute("tabindex", "-1"));
    unfocus();
    const observer = new MutationObserver(unfocus);
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["tabindex", "href"] });
    return () => observer.disconnect();
  }, []);
  return ref;
}

/**
 * The charts drawn by Shopify's polaris-viz. Loaded only in the browser, after the page is interactive (Chart.tsx),
 * so neither the server render nor the JavaScript the page needs to hydrate carries it.
 */
export default function VizChart({ kind, name, points, format, axisFormat }: VizChartProps) {
  const values = formatter(format);
  // The value axis runs from 0 (or the lowest value, when below) to the highest: polaris-viz takes its scale from the data.
  const yAxisOptions = { labelFormatter: formatter(axisFormat ?? format) };
  const ref = useHiddenDrawing();
  return (
    <div ref={ref} aria-hidden="true" data-chart-drawing="" style={{ width: "100%", height: "100%" }}>
      <PolarisVizProvider defaultTheme="Light" themes={THEMES}>
        {kind === "line" ? (
          <LineChart data={lineSeries(name, points)} showLegend={false} isAnimated={false} yAxisOptions={yAxisOptions} tooltipOptions={{ valueFormatter: values }} />
        ) : kind === "bar" ? (
          <BarChart
            data={barSeries(name, points)}
            type="stacked"
            showLegend={false}
            isAnimated={false}
            yAxisOptions={yAxisOptions}
            tooltipOptions={{ valueFormatter: values }}
          />
        ) : (
          <SimpleBarChart
            data={[{ name, color: CHART_COLORS.main, data: points.map((p) => ({ key: pointKey(p), value: p.value })) }]}
            showLegend={false}
            isAnimated={false}
            yAxisOptions={yAxisOptions}
          />
        )}
      </PolarisVizProvider>
    </div>
  );
}
