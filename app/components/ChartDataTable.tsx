import { Box } from "@shopify/polaris";

/**
 * The figures behind a chart as a table, for screen readers: the chart itself is one image with a name, and its
 * marks are not read inside an image. Visually hidden; its caption is the chart's name. A partial period's row is
 * marked (`data-partial`) and its text says so.
 */
export function ChartDataTable({
  title,
  rows,
  keyHeading = "Period",
}: {
  title: string;
  rows: { key: string; label: string; description: string; partial?: boolean }[];
  keyHeading?: string;
}) {
  return (
    <Box visuallyHidden>
      <table data-chart-table="">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{keyHeading}</th>
            <th scope="col">Figures</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-partial={row.partial ? "" : undefined}>
              <th scope="row">{row.label}</th>
              <td>{row.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Box>
  );
}
