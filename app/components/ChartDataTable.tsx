import { Box } from "@shopify/polaris";

/**
 * The figures behind a chart as a table, for screen readers: the chart itself is one image with a name, and its
 * per-point titles are not read inside an image. Visually hidden; its caption is the chart's name.
 */
export function ChartDataTable({ title, rows }: { title: string; rows: { key: string; label: string; description: string }[] }) {
  return (
    <Box visuallyHidden>
      <table data-chart-table="">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">Figures</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              <td>{row.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Box>
  );
}
