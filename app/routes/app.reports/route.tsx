import { useLoaderData, useSearchParams } from "@remix-run/react";
import { AppPage } from "~/components/AppPage";
import { DateRangeBar } from "~/components/dashboard/DateRangeBar";
import { startEmbeddedDownload } from "~/components/embedded-download";
import { titleMeta } from "~/components/page-title";
import { AttributionReport } from "~/components/report-page/AttributionReport";
import { QuestionsReport } from "~/components/report-page/QuestionsReport";
import { reportsLoader } from "./loader.server";

export const loader = reportsLoader;
export const meta = titleMeta("Reports");

export default function ReportsPage() {
  const { range, currency, rows, total, questions } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const exportCsv = () =>
    startEmbeddedDownload("/app/export/attribution.csv", { range: params.get("range"), from: params.get("from"), to: params.get("to") });
  return (
    <AppPage title="Reports" subtitle="Where customers heard about you, and how they answered">
      <DateRangeBar range={range} />
      <AttributionReport rows={rows} total={total} currency={currency} onExport={exportCsv} />
      <QuestionsReport {...questions} />
    </AppPage>
  );
}
