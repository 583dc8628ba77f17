import type { DataSeries } from "@shopify/polaris-viz";
import type { PeriodState } from "~/domain/cx/partial-period";
import { currencyExponent, currencySymbol } from "~/domain/money";

/** One bucket of a chart: its short axis label, its value (null: nothing to show), whether its period is whole, and what the data table says for it. */
export interface ChartPoint {
  label: string;
  value: number | null;
  /** Absent or "complete" for a whole period; "in-progress" and "cut" are drawn as partial. */
  period?: PeriodState;
  description: string;
}

/** Colours of a series: whole periods, and partial ones (lighter for bars; lines use the same colour, dashed). */
export const CHART_COLORS = { main: "#7247e6", partial: "#c9b8f5" } as const;

export const isPartial = (p: Pick<ChartPoint, "period">) => p.period === "in-progress" || p.period === "cut";

/** The label on the axis: "Dec 1 (so far)" for a period in progress, "Nov 2 (part)" for one the range covers in part. */
export function pointKey(p: Pick<ChartPoint, "label" | "period">): string {
  if (p.period === "in-progress") return `${p.label} (so far)`;
  if (p.period === "cut") return `${p.label} (part)`;
  return p.label;
}

/** What the data table says after a partial bucket's figures. */
export function partialNote(p: Pick<ChartPoint, "period">): string {
  if (p.period === "in-progress") return " (so far: this period is not over)";
  if (p.period === "cut") return " (part of this period: the range covers only some of its days)";
  return "";
}

/**
 * A line in two series: whole periods as a solid line, and each partial period as a dashed segment from its whole
 * neighbour, so a period still filling up is never drawn as a full point of the solid line.
 */
export function lineSeries(name: string, points: ChartPoint[]): DataSeries[] {
  const keys = points.map(pointKey);
  const solid = points.map((p, i) => ({ key: keys[i]!, value: isPartial(p) ? null : p.value }));
  const dashed = points.map((p, i) => {
    const neighbourPartial = isPartial(points[i - 1] ?? {}) || isPartial(points[i + 1] ?? {});
    return { key: keys[i]!, value: isPartial(p) || neighbourPartial ? p.value : null };
  });
  const series: DataSeries[] = [{ name, data: solid, color: CHART_COLORS.main }];
  if (points.some(isPartial)) {
    series.push({ name: `${name}, partial period`, data: dashed, color: CHART_COLORS.main, styleOverride: { line: { strokeDasharray: "4 4", hasArea: false } } });
  }
  return series;
}

/** Bars in two stacked series: whole periods in the main colour, partial ones lighter (one of the two is empty per bar). */
export function barSeries(name: string, points: ChartPoint[]): DataSeries[] {
  const keys = points.map(pointKey);
  const series: DataSeries[] = [{ name, data: points.map((p, i) => ({ key: keys[i]!, value: isPartial(p) ? null : p.value })), color: CHART_COLORS.main }];
  if (points.some(isPartial)) {
    series.push({ name: `${name}, partial period`, data: points.map((p, i) => ({ key: keys[i]!, value: isPartial(p) ? p.value : null })), color: CHART_COLORS.partial });
  }
  return series;
}

/** A money axis label, short: "$1.2K", "¥1.5M", the currency's symbol from domain/money.ts (the tooltip and the table keep the exact amount). */
export function axisMoney(minor: number, currency: string): string {
  const major = minor / 10 ** currencyExponent(currency);
  const number = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(Math.abs(major));
  return `${major < 0 ? "-" : ""}${currencySymbol(currency)}${number}`;
}
