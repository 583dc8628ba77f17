import { BlockStack, Card, DataTable, Text, useBreakpoints } from "@shopify/polaris";
import { formatDate } from "~/domain/dates";
import type { QuestionDropOff, ResponseRate } from "~/domain/survey/response-rate";

interface ResponseRateCardProps {
  /** The period, [from, to) as ISO instants (the answers list's dates, else the last 30 days). */
  from: string;
  to: string;
  /** When the survey was first reported seen in this shop; null when never. */
  firstSeenAt: string | null;
  rate: ResponseRate;
  /** Seen orders in the period whose shopper gave the survey's last step. */
  completed: number;
  seen: number;
  questions: QuestionDropOff[];
  timezone: string | null;
}

const percent = (share: number | null) => (share === null ? "–" : `${Math.round(share * 1000) / 10}%`);

const BASIS: Record<ResponseRate["basis"], string> = {
  seen: "Orders that answered, out of orders whose shoppers were shown the survey.",
  orders: "Orders that answered, out of orders placed: the survey was not yet reporting when it was shown in this period.",
  both: "Orders that answered, out of orders shown the survey, and out of orders placed before the survey reported when it was shown.",
};

/**
 * The response rate and each question's drop-off (decision 041). Answers are saved as shoppers give them, so a
 * shopper who left after the first question counts as answered; "reached" counts the answer sets that were shown a
 * question, "answered" those that answered it.
 */
export function ResponseRateCard({ from, to, firstSeenAt, rate, completed, seen, questions, timezone }: ResponseRateCardProps) {
  // Below the md breakpoint, one line block per question: no table to scroll sideways on a phone.
  const { mdDown } = useBreakpoints();
  const period = `${formatDate(from, timezone)} – ${formatDate(new Date(new Date(to).getTime() - 1), timezone)}`;
  return (
    <Card>
      <BlockStack gap="300" id="response-rate">
        <Text as="h2" variant="headingMd">
          Response rate
        </Text>
        <Text as="p" tone="subdued">
          {period}
        </Text>
        <Text as="p" variant="headingLg">
          {rate.rate === null ? "No orders yet" : `${percent(rate.rate)} (${rate.answered} of ${rate.outOf})`}
        </Text>
        <Text as="p">{BASIS[rate.basis]}</Text>
        {seen ? <Text as="p" tone="subdued">{`${completed} of ${seen} shoppers shown the survey finished it.`}</Text> : null}
        {firstSeenAt ? null : (
          <Text as="p" tone="subdued">
            The survey has not reported being shown yet: the rate is out of orders placed.
          </Text>
        )}
        <Text as="h3" variant="headingSm">
          Drop-off by question
        </Text>
        {seen && mdDown ? (
          <BlockStack as="ul" gap="200">
            {questions.map((q) => (
              <li key={q.key} style={{ listStyle: "none" }} data-drop-off={q.key}>
                <Text as="p" fontWeight="semibold">
                  {q.label}
                </Text>
                <Text as="p" variant="bodySm" tone="subdued">
                  {`Reached ${q.reached} · answered ${q.answered} (${percent(q.answeredShare)})`}
                </Text>
              </li>
            ))}
          </BlockStack>
        ) : seen ? (
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric"]}
            headings={["Question", "Reached", "Answered", "Answered of reached"]}
            rows={questions.map((q) => [q.label, q.reached, q.answered, percent(q.answeredShare)])}
          />
        ) : (
          <Text as="p" tone="subdued">
            Drop-off shows once shoppers have been shown the survey in this period.
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
