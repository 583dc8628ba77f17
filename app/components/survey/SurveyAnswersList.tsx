import { Form } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, IndexTable, InlineStack, Link, Select, Text, TextField, useBreakpoints, type IndexTableProps } from "@shopify/polaris";
import { useState } from "react";
import { startEmbeddedDownload } from "~/components/embedded-download";
import { OrderLink } from "~/components/OrderLink";
import { formatDateTime, formatUtcDay } from "~/domain/dates";
import { BANDED_TYPES, QUESTION_REGISTRY } from "~/domain/survey/registry";
import { bandRange, type ScoreBand, type ScoreQuestion } from "~/domain/survey/score-bands";
import { scoreTone } from "../score-tone";
import type { SerializeFrom } from "@remix-run/node";
import type { listSurveyAnswers } from "~/services/survey-settings.server";

type Question = ScoreQuestion;

/** One answer of the list as the survey page's loader sends it (one definition: services/survey-settings.server.ts). */
type SurveyAnswerRow = SerializeFrom<typeof listSurveyAnswers>["rows"][number];

interface SurveyAnswersListProps {
  rows: SurveyAnswerRow[];
  filters: { question: Question | null; band: string | null; from: string | null; to: string | null; cursor: string | null };
  /** Search string of the next page ("?question=nps&cursor=…"), or null on the last page. */
  nextPageSearch: string | null;
  firstPageSearch: string | null;
  /** Attribution option id → label in the default language. */
  optionLabels: Record<string, string>;
  /** The shop's IANA time zone: each answer shows its date and time there. */
  timezone: string;
  loading: boolean;
}

/** The filter's questions and their bands, from the question-type registry and the band table. */
const QUESTION_OPTIONS = [
  { label: "All questions", value: "" },
  ...BANDED_TYPES.map((type) => ({ label: QUESTION_REGISTRY[type].shortName, value: type })),
];
const BAND_NAMES: Record<ScoreBand, string> = { detractor: "Detractors", passive: "Passives", promoter: "Promoters", low: "Low", high: "High" };
const bandOptions = (question: Question): { label: string; value: string }[] =>
  (QUESTION_REGISTRY[question].bands ?? []).map((band) => {
    const [min, max] = bandRange(question, band) ?? [];
    return { label: `${BAND_NAMES[band]} (${min}–${max})`, value: band };
  });

const HEADINGS: IndexTableProps["headings"] = [
  { title: "Date" },
  { title: "Order" },
  { title: "Scores" },
  { title: "Heard about us" },
  { title: "Comment" },
];



const ANSWERS_EXPORT_PATH = "/app/export/answers.csv";

/** The export's query: the filters the list shows (not the page cursor: the file holds every matching answer). */
const exportParams = (filters: SurveyAnswersListProps["filters"]) => ({ question: filters.question, band: filters.band, from: filters.from, to: filters.to });

/**
 * Survey answers: filters (a GET form, so they live in the URL) and an IndexTable of one page, with a cursor link to
 * the next. Comments are shopper text and are rendered as text only.
 */
export function SurveyAnswersList({ rows, filters, nextPageSearch, firstPageSearch, optionLabels, timezone, loading }: SurveyAnswersListProps) {
  const { mdDown } = useBreakpoints();
  const [question, setQuestion] = useState<string>(filters.question ?? "");
  const [band, setBand] = useState<string>(filters.band ?? "");
  const [from, setFrom] = useState(filters.from ?? "");
  const [to, setTo] = useState(filters.to ?? "");
  const bands = (BANDED_TYPES as readonly string[]).includes(question) ? bandOptions(question as Question) : [];
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  // The list shows nothing for an end date before the start date; the export refuses it, so do not offer it.
  const exportable = !(filters.from && filters.to && filters.from > filters.to);
  const exportCsv = () => {
    setExporting(true);
    setExportError(null);
    startEmbeddedDownload(ANSWERS_EXPORT_PATH, exportParams(filters))
      .catch(() => setExportError("The export could not start. Reload the page and try again."))
      .finally(() => setExporting(false));
  };

  return (
    <Card padding="0">
      <BlockStack gap="0">
        <div style={{ padding: "var(--p-space-400)" }}>
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="h2" variant="headingMd">Answers</Text>
              <Button onClick={exportCsv} loading={exporting} disabled={!exportable}>
                Export CSV
              </Button>
            </InlineStack>
            {exportError ? <Text as="p" tone="critical">{exportError}</Text> : null}
            <Form method="get" preventScrollReset>
              <InlineStack gap="300" blockAlign="end">
                <Select
                  label="Filter by question"
                  name="question"
                  options={QUESTION_OPTIONS}
                  value={question}
                  onChange={(value) => {
                    setQuestion(value);
                    setBand("");
                  }}
                />
                <Select
                  label="Score band"
                  name="band"
                  options={[{ label: "Any score", value: "" }, ...bands]}
                  value={band}
                  disabled={bands.length === 0}
                  onChange={setBand}
                />
                <TextField label="From" name="from" type="date" value={from} onChange={setFrom} helpText="UTC day" autoComplete="off" />
                <TextField label="To" name="to" type="date" value={to} onChange={setTo} helpText="UTC day" autoComplete="off" />
                <Button submit loading={loading}>Filter</Button>
              </InlineStack>
            </Form>
            {filters.from || filters.to ? (
              <Text as="p" variant="bodySm" tone="subdued">
                {`Answers given ${filters.from ? `from ${formatUtcDay(filters.from)} ` : ""}${filters.to ? `to ${formatUtcDay(filters.to)} ` : ""}(UTC days)`}
              </Text>
            ) : null}
          </BlockStack>
        </div>
        <IndexTable
          // Below the md breakpoint, one stacked block per answer: nothing to scroll sideways on a phone.
          key={mdDown ? "condensed" : "table"}
          condensed={mdDown}
          resourceName={{ singular: "answer", plural: "answers" }}
          itemCount={rows.length}
          headings={HEADINGS}
          selectable={false}
          loading={loading}
          emptyState={
            <div style={{ padding: "var(--p-space-400)" }}>
              <Text as="p" tone="subdued">No answers match these filters yet.</Text>
            </div>
          }
        >
          {rows.map((row, index) => {
            const scores = (["nps", "csat", "ces"] as const).filter((q) => row[q] !== null);
            const attribution =
              row.attributionOption === "other"
                ? `Other${row.attributionOther ? `: ${row.attributionOther}` : ""}`
                : row.attributionOption
                  ? (optionLabels[row.attributionOption] ?? row.attributionOption)
                  : "—";
            const when = formatDateTime(row.createdAt, timezone);
            const orderAndCustomer = (
              // Two links one above the other: 8 px apart, each keeps a 24 px target (WCAG 2.5.8).
              <BlockStack gap="200">
                <OrderLink orderId={row.orderId} name={row.orderName} />
                {row.customerId ? (
                  <Link url={`/app/customers/${encodeURIComponent(row.customerId)}`} removeUnderline>
                    {row.customerName ?? "Customer"}
                  </Link>
                ) : (
                  <Text as="span" variant="bodySm" tone="subdued">
                    Guest
                  </Text>
                )}
              </BlockStack>
            );
            const badges = (
              <InlineStack gap="100">
                {scores.map((q) => {
                  const score = row[q] ?? 0;
                  return (
                    <Badge key={q} tone={scoreTone(q, score)}>
                      {`${q.toUpperCase()} ${score}`}
                    </Badge>
                  );
                })}
              </InlineStack>
            );
            if (mdDown) {
              return (
                <IndexTable.Row id={String(row.id)} key={row.id} position={index}>
                  <div style={{ padding: "var(--p-space-300) var(--p-space-400)" }} data-answer-id={row.id}>
                    <BlockStack gap="200">
                      <InlineStack align="space-between" blockAlign="start" gap="200">
                        {orderAndCustomer}
                        <Text as="span" tone="subdued">
                          {when}
                        </Text>
                      </InlineStack>
                      {badges}
                      {attribution !== "—" ? <Text as="p" breakWord>{`Heard about us: ${attribution}`}</Text> : null}
                      {row.comment ? (
                        <Text as="p" breakWord>
                          {row.comment}
                        </Text>
                      ) : null}
                    </BlockStack>
                  </div>
                </IndexTable.Row>
              );
            }
            return (
              <IndexTable.Row id={String(row.id)} key={row.id} position={index}>
                <IndexTable.Cell>{when}</IndexTable.Cell>
                <IndexTable.Cell>{orderAndCustomer}</IndexTable.Cell>
                <IndexTable.Cell>{badges}</IndexTable.Cell>
                <IndexTable.Cell>{attribution}</IndexTable.Cell>
                <IndexTable.Cell>
                  <div style={{ maxWidth: "28rem", whiteSpace: "normal" }}>
                    <Text as="span" breakWord>{row.comment ?? "—"}</Text>
                  </div>
                </IndexTable.Cell>
              </IndexTable.Row>
            );
          })}
        </IndexTable>
        {nextPageSearch || firstPageSearch ? (
          <div style={{ padding: "var(--p-space-300)" }}>
            <InlineStack gap="200">
              {firstPageSearch !== null ? <Button url={`/app/survey${firstPageSearch}`}>First page</Button> : null}
              {nextPageSearch ? <Button url={`/app/survey${nextPageSearch}`}>Next page</Button> : null}
            </InlineStack>
          </div>
        ) : null}
      </BlockStack>
    </Card>
  );
}
