interface TierBar {
  /** Stable key (tier slug, or "none"). */
  key: string;
  label: string;
  value: number;
  /** Bar fill; null uses a neutral colour (the "No tier" bucket, a removed tier). */
  color: string | null;
  /** What a screen reader and the tooltip say for this bar, e.g. "Gold: 42 customers". */
  description: string;
}

/**
 * Horizontal bars, one per tier, each in the tier's colour, with the count at the end of the bar. Like BarChart:
 * dependency-free SVG, fixed aspect ratio (no layout shift), one accessible name for the chart and a title
 * per bar (TierDistributionCard lists the same figures as text beside it).
 */
export function TierDistributionChart({ data, title }: { data: TierBar[]; title: string }) {
  const width = 600;
  const rowHeight = 28;
  const gap = 10;
  const labelWidth = 150;
  const countWidth = 70;
  const height = Math.max(rowHeight, data.length * (rowHeight + gap) - gap);
  const max = Math.max(1, ...data.map((d) => d.value));
  const barSpace = width - labelWidth - countWidth;
  return (
    <svg
      role="img"
      aria-label={title}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      style={{ display: "block", aspectRatio: `${width} / ${height}` }}
    >
      {data.map((d, i) => {
        const y = i * (rowHeight + gap);
        const w = d.value > 0 ? Math.max(3, Math.round((barSpace * d.value) / max)) : 0;
        return (
          <g key={d.key} data-tier={d.key} data-count={d.value}>
            <title>{d.description}</title>
            <text x={labelWidth - 10} y={y + rowHeight / 2} dominantBaseline="central" textAnchor="end" fontSize="13" fill="var(--p-color-text)">
              {d.label.length > 18 ? `${d.label.slice(0, 17)}…` : d.label}
            </text>
            <rect x={labelWidth} y={y} width={barSpace} height={rowHeight} rx={4} fill="var(--p-color-bg-surface-secondary)" />
            <rect x={labelWidth} y={y} width={w} height={rowHeight} rx={4} fill={d.color ?? "var(--p-color-bg-fill-tertiary)"} />
            <text
              x={labelWidth + barSpace + 8}
              y={y + rowHeight / 2}
              dominantBaseline="central"
              fontSize="13"
              fontWeight="600"
              fill="var(--p-color-text)"
            >
              {d.value.toLocaleString("en-US")}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
