import { BlockStack, Card, DataTable, Tabs, Text } from "@shopify/polaris";
import { useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import type { FigureView } from "./ScoreCard";

interface SegmentRow {
  key: string;
  label: string;
  answers: number;
  nps: FigureView;
  csat: FigureView;
  ces: FigureView;
}

const DIMENSIONS = [
  { id: "tier", content: "Loyalty tier" },
  { id: "customerType", content: "New vs returning" },
  { id: "orderValue", content: "Order value" },
  { id: "attribution", content: "Heard about us" },
  { id: "refund", content: "Refund or not" },
] as const;

type Dimension = (typeof DIMENSIONS)[number]["id"];

const cell = (figure: FigureView, format: (v: number) => string) =>
  figure.value === null ? "—" : `${format(figure.value)}${figure.tooSmall ? " *" : ""}`;

/** The URL parameter that keeps the selected dimension (a reload or a shared link shows the same tab). */
export const SEGMENT_PARAM = "segment";

/**
 * The same scores side by side for each segment of one dimension, chosen by tab and kept in the URL (`segment`);
 * `emptyHint` replaces the empty state when the shop has no answers at all.
 */
export function SegmentsCard({ segments, emptyHint }: { segments: Record<Dimension, SegmentRow[]>; emptyHint: ReactNode }) {
  const [params, setParams] = useSearchParams();
  const selected = Math.max(
    0,
    DIMENSIONS.findIndex((d) => d.id === params.get(SEGMENT_PARAM)),
  );
  const setSelected = (index: number) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (index === 0) next.delete(SEGMENT_PARAM);
        else next.set(SEGMENT_PARAM, DIMENSIONS[index]!.id);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  const dimension = DIMENSIONS[selected] ?? DIMENSIONS[0];
  const rows = segments[dimension.id];
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Scores by segment
        </Text>
        <Tabs tabs={DIMENSIONS.map((d) => ({ id: `segment-${d.id}`, content: d.content }))} selected={selected} onSelect={setSelected} />
        {rows.length ? (
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
            headings={[dimension.content, "Answers", "NPS", "CSAT", "CES"]}
            rows={rows.map((r) => [
              r.label,
              r.answers.toLocaleString("en-US"),
              cell(r.nps, String),
              cell(r.csat, (v) => `${v}%`),
              cell(r.ces, (v) => v.toFixed(1)),
            ])}
          />
        ) : (
          (emptyHint ?? (
            <Text as="p" tone="subdued">
              No answers in this period.
            </Text>
          ))
        )}
        <Text as="p" variant="bodySm" tone="subdued">
          * fewer than 30 answers: too few to trust. Tiers are customers&apos; current tiers. &quot;Has a refund&quot;: the
          customer has had a refund on any order that was not cancelled (a guest: on the answered order), as of now.
        </Text>
      </BlockStack>
    </Card>
  );
}
