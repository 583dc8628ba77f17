import { ChartDataTable } from "../ChartDataTable";

interface LinePoint {
  label: string;
  /** null: no data in this bucket (the line breaks there). */
  value: number | null;
  description: string;
}

/**
 * A dependency-free SVG line chart with a fixed aspect ratio (no layout shift): gridlines at the domain's ticks,
 * the line broken where a bucket has no data, a dot per point with a title (its tooltip), and the same figures as a
 * table for screen readers.
 */
export function LineChart({ points, title, domain, ticks }: { points: LinePoint[]; title: string; domain: [number, number]; ticks: number[] }) {
  const width = 640;
  const height = 200;
  const pad = { left: 40, right: 12, top: 10, bottom: 26 };
  const [min, max] = domain;
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const x = (i: number) => pad.left + (points.length <= 1 ? innerW / 2 : (i * innerW) / (points.length - 1));
  const y = (v: number) => pad.top + innerH - ((v - min) / (max - min)) * innerH;
  const segments: string[] = [];
  let current = "";
  points.forEach((p, i) => {
    if (p.value === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? "L" : "M"}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const labelEvery = Math.max(1, Math.ceil(points.length / 8));
  return (
    <>
      <svg role="img" aria-label={title} viewBox={`0 0 ${width} ${height}`} width="100%" style={{ display: "block", aspectRatio: `${width} / ${height}` }}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} stroke="var(--p-color-border-secondary)" strokeDasharray={t === 0 ? undefined : "3 3"} />
            <text x={pad.left - 6} y={y(t) + 4} textAnchor="end" fontSize="11" fill="var(--p-color-text-secondary)">
              {t}
            </text>
          </g>
        ))}
        {segments.map((d) => (
          <path key={d} d={d} fill="none" stroke="var(--p-color-bg-fill-magic)" strokeWidth={2.5} strokeLinejoin="round" />
        ))}
        {points.map((p, i) =>
          p.value === null ? null : (
            <circle key={p.label} cx={x(i)} cy={y(p.value)} r={4} fill="var(--p-color-bg-fill-magic)">
              <title>{p.description}</title>
            </circle>
          ),
        )}
        {points.map((p, i) =>
          i % labelEvery === 0 ? (
            <text key={`l-${p.label}`} x={x(i)} y={height - 8} textAnchor="middle" fontSize="11" fill="var(--p-color-text-secondary)">
              {p.label.length > 7 ? p.label.slice(5) : p.label}
            </text>
          ) : null,
        )}
      </svg>
      <ChartDataTable title={title} rows={points.map((p) => ({ key: p.label, label: p.label, description: p.description }))} />
    </>
  );
}
