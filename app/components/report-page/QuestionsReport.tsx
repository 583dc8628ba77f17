import { Form, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { Chart } from "~/components/charts/Chart";
import { OrderLink } from "~/components/OrderLink";
import { formatDateTime } from "~/domain/dates";
import type { Distribution } from "~/domain/survey/distribution";

interface TextAnswer {
  id: number;
  orderId: string;
  orderName: string | null;
  createdAt: string;
  texts: { question: string; text: string }[];
}

interface QuestionsReportProps {
  segment: string;
  segmentError: string | null;
  segmentOptions: { label: string; value: string }[];
  search: string | null;
  timezone: string;
  distributions: Distribution[];
  textAnswers: TextAnswer[];
}

const countText = (n: number) => n.toLocaleString("en-US");

function DistributionChart({ distribution }: { distribution: Distribution }) {
  const { title, kind, respondents, bins } = distribution;
  const unit = kind === "scale" ? "Score" : "Option";
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {title}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {respondents ? `${countText(respondents)} ${respondents === 1 ? "answer" : "answers"}` : "No answers in this period"}
          {kind === "choice" && distribution.key !== "attribution" && bins.some((b) => b.share !== null) ? "; shares of the answers" : ""}
        </Text>
        {respondents ? (
          <Chart
            kind={kind === "scale" ? "bar" : "horizontal-bar"}
            title={`${title}: answers per ${unit.toLowerCase()}`}
            name="Answers"
            keyHeading={unit}
            height={kind === "scale" ? 180 : Math.max(80, bins.length * 36 + 16)}
            format={(v) => countText(Math.round(v))}
            axes={
              kind === "scale" ? "Vertical axis: answers. Horizontal: the score given." : "Answers per option; the bars' lengths compare the counts."
            }
            points={bins.map((b) => ({ label: b.label, value: b.count, description: `${b.label}: ${countText(b.count)} (${b.share ?? 0}%)` }))}
          />
        ) : null}
      </BlockStack>
    </Card>
  );
}

/** Segment filter, one chart per scale or choice question, and a search of the shoppers' words. */
export function QuestionsReport({ segment, segmentError, segmentOptions, search, timezone, distributions, textAnswers }: QuestionsReportProps) {
  const [params, setParams] = useSearchParams();
  const [query, setQuery] = useState(search ?? "");
  useEffect(() => setQuery(search ?? ""), [search]);
  const setSegment = (value: string) => {
    const next = new URLSearchParams(params);
    if (value === "all") next.delete("segment");
    else next.set("segment", value);
    setParams(next, { preventScrollReset: true });
  };
  const hidden = [...params].filter(([key]) => key !== "q");
  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Answers per question
          </Text>
          <div style={{ maxWidth: 320 }}>
            <Select label="Answers from" options={segmentOptions} value={segment} onChange={setSegment} />
          </div>
          {segmentError ? <Banner tone="warning">{`${segmentError}: showing every answer.`}</Banner> : null}
          <Text as="p" variant="bodySm" tone="subdued">
            Tiers are customers&apos; tiers now; &quot;First order&quot; means the answered order was the customer&apos;s first; &quot;Has a
            refund&quot;: the customer had a refund on any order (a guest: on the answered order).
          </Text>
        </BlockStack>
      </Card>
      {distributions.length ? (
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          {distributions.map((d) => (
            <DistributionChart key={d.key} distribution={d} />
          ))}
        </InlineGrid>
      ) : (
        <Text as="p" tone="subdued">
          The survey has no score or choice questions switched on.
        </Text>
      )}
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            What shoppers wrote
          </Text>
          <Form method="get" preventScrollReset>
            {hidden.map(([key, value]) => (
              <input key={key} type="hidden" name={key} value={value} />
            ))}
            <InlineStack gap="200" blockAlign="end" wrap={false}>
              <div style={{ flex: 1 }}>
                <TextField
                  label="Search the comments and written answers"
                  name="q"
                  value={query}
                  onChange={setQuery}
                  autoComplete="off"
                  maxLength={100}
                />
              </div>
              <Button submit>Search</Button>
            </InlineStack>
          </Form>
          {textAnswers.length ? (
            <BlockStack gap="300">
              {textAnswers.map((a) => (
                <div key={a.id} data-testid="text-answer">
                  <BlockStack gap="100">
                    <Text as="p" variant="bodySm" tone="subdued">
                      {formatDateTime(a.createdAt, timezone)} · <OrderLink orderId={a.orderId} name={a.orderName} />
                    </Text>
                    {a.texts.map((t, i) => (
                      <Text key={i} as="p">
                        <Text as="span" fontWeight="semibold">
                          {t.question}:
                        </Text>{" "}
                        {t.text}
                      </Text>
                    ))}
                  </BlockStack>
                </div>
              ))}
              <Text as="p" variant="bodySm" tone="subdued">
                {textAnswers.length === 50 ? "The newest 50 answer sets shown." : `${countText(textAnswers.length)} answer sets.`}
              </Text>
            </BlockStack>
          ) : (
            <Text as="p" tone="subdued">
              {search ? `Nothing written in this period contains “${search}”.` : "Nothing written in this period."}
            </Text>
          )}
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
