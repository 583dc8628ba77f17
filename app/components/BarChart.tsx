import { ChartDataTable } from "./ChartDataTable";

interface BarDatum {
  label: string;
  value: number;
  /** What a screen reader and the tooltip say for this bar. */
  description: string;
}

/**
 * A small dependency-free SVG bar chart. Fixed aspect ratio (no layout shift), one accessible name for the
 * chart, a title per bar (its tooltip) and the same figures as a table for screen readers.
 */
export function BarChart({ data, title }: { data: BarDatum[]; title: string }) {
  const width = 600;
  const height = 180;
  const padBottom = 24;
  const max = Math.max(1, ...data.map((d) => d.value));
  const slot = data.length ? width / data.length : width;
  const barWidth = Math.max(4, slot * 0.6);
  return (
    <>
      <svg
        role="img"
        aria-label={title}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{ display: "block", aspectRatio: `${width} / ${height}` }}
      >
        {data.map((d, i) => {
          const h = Math.round(((height - padBottom - 8) * d.value) / max);
          const x = i * slot + (slot - barWidth) / 2;
          return (
            <g key={d.label}>
              <rect x={x} y={height - padBottom - h} width={barWidth} height={h} rx={3} fill="var(--p-color-bg-fill-magic)">
                <title>{d.description}</title>
              </rect>
              <text x={x + barWidth / 2} y={height - 6} textAnchor="middle" fontSize="12" fill="var(--p-color-text-secondary)">
                {d.label}
              </text>
            </g>
          );
        })}
      </svg>
      <ChartDataTable title={title} rows={data.map((d) => ({ key: d.label, label: d.label, description: d.description }))} />
    </>
  );
}
