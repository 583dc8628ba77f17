import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Chart } from "./Chart";

describe("Chart on the server", () => {
  it("renders a named placeholder of the chart's height, the axes in words, the partial period named, and the data table (no chart code)", () => {
    const html = renderToStaticMarkup(
      <AppProvider i18n={en}>
        <Chart
          kind="line"
          title="NPS by week"
          name="NPS"
          height={200}
          format={String}
          axes="Vertical axis: NPS, from −100 to 100."
          points={[
            { label: "Nov 24", value: 50, period: "complete", description: "Week of 2026-11-24: NPS 50" },
            { label: "Dec 1", value: 10, period: "in-progress", description: "Week of 2026-12-01: NPS 10" },
          ]}
        />
      </AppProvider>,
    );
    expect(html).toContain('role="img" aria-label="NPS by week" data-chart="line"');
    expect(html).toContain("height:200px");
    expect(html).not.toContain("<svg");
    expect(html).not.toContain("data-chart-ready");
    expect(html).toContain("Vertical axis: NPS, from −100 to 100. Dec 1 (so far): a partial period, drawn dashed.");
    expect(html).toContain('<tr><th scope="row">Nov 24</th><td>Week of 2026-11-24: NPS 50</td></tr>');
    expect(html).toContain('<tr data-partial=""><th scope="row">Dec 1 (so far)</th><td>Week of 2026-12-01: NPS 10 (so far: this period is not over)</td></tr>');
  });
});
