import { Badge, BlockStack, Box, Card, InlineStack, Link, Text } from "@shopify/polaris";
import { KIND_LABELS, STATUS_LABELS, statusTone } from "../followups/format";
import { GoodwillList, NoteList } from "../followups/FollowUpWorkLists";
import { ScoreBadges } from "../followups/ScoreBadges";
import { OrderLink, orderText } from "../OrderLink";
import { formatDate } from "~/domain/dates";
import { formatCount } from "./format";
import type { CustomerProfile } from "~/services/customer-pages.server";

type AnswerView = CustomerProfile["answers"][number];
type FollowUpView = AnswerView["followUps"][number];

function FollowUp({ followUp, order, timezone }: { followUp: FollowUpView; order: string; timezone: string }) {
  const recovery = followUp.kind === "recovery";
  return (
    <li data-followup-id={followUp.id} data-status={followUp.status} style={{ listStyle: "none" }}>
      <Box padding="200" background="bg-surface-secondary" borderRadius="200">
        <BlockStack gap="100">
          <InlineStack gap="200" blockAlign="center">
            <Text as="span" fontWeight="medium">
              {recovery ? "Recovery follow-up" : `Marked for ${(KIND_LABELS[followUp.kind] ?? followUp.kind).toLowerCase()}`}
            </Text>
            <Badge tone={statusTone(followUp.status)}>{STATUS_LABELS[followUp.status] ?? followUp.status}</Badge>
          </InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">
            {[
              `${recovery ? "Opened" : "Marked"} ${formatDate(followUp.createdAt, timezone)}`,
              followUp.trigger.length ? `by ${followUp.trigger.join(", ")}` : null,
              followUp.resolvedAt ? `resolved ${formatDate(followUp.resolvedAt, timezone)}` : null,
              recovery ? `owner: ${followUp.owner ?? "unassigned"}` : null,
            ]
              .filter(Boolean)
              .join(" · ")}
          </Text>
          {followUp.notes ? (
            <div style={{ whiteSpace: "pre-wrap" }}>
              <Text as="p" breakWord>
                <Text as="span" tone="subdued">
                  Notes:{" "}
                </Text>
                {followUp.notes}
              </Text>
            </div>
          ) : null}
          <NoteList notes={followUp.noteLog} label={`Notes on ${order}`} timezone={timezone} />
          <GoodwillList goodwill={followUp.goodwill} label={`Goodwill given for ${order}`} timezone={timezone} />
        </BlockStack>
      </Box>
    </li>
  );
}

/**
 * The customer's survey answers, newest first: when, for which order (a link to it in the Shopify admin), the scores
 * and the comment, and under each the follow-ups it opened or was marked for, with their status, notes (who wrote
 * them and when) and the goodwill given (points or a code, and where it stands).
 */
export function CustomerAnswersCard({ answers, truncated, timezone }: { answers: AnswerView[]; truncated: boolean; timezone: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            Survey answers and follow-ups
          </Text>
          <Link url="/app/followups?status=all" removeUnderline>
            All follow-ups
          </Link>
        </InlineStack>
        {answers.length ? (
          <ol aria-label="Survey answers" style={{ listStyle: "none", margin: 0, padding: 0 }}>
            {answers.map((answer, i) => (
              <li key={answer.id} data-answer-id={answer.id} style={{ borderTop: i ? "1px solid var(--p-color-border-secondary)" : undefined }}>
                <Box paddingBlock="300">
                  <BlockStack gap="200">
                    <InlineStack align="space-between" blockAlign="center" gap="200">
                      <Text as="h3" variant="headingSm">
                        {"Order "}
                        <OrderLink orderId={answer.orderId} name={answer.orderName} />
                      </Text>
                      <Text as="span" tone="subdued">
                        <time dateTime={answer.createdAt}>{formatDate(answer.createdAt, timezone)}</time>
                      </Text>
                    </InlineStack>
                    <ScoreBadges scores={answer} />
                    <div style={{ whiteSpace: "pre-wrap" }}>
                      {answer.comment ? (
                        <Text as="p" breakWord>{`“${answer.comment}”`}</Text>
                      ) : (
                        <Text as="p" tone="subdued">
                          No comment
                        </Text>
                      )}
                    </div>
                    {answer.followUps.length ? (
                      <ul aria-label="Follow-ups of this answer" style={{ margin: 0, padding: 0, display: "grid", gap: "var(--p-space-200)" }}>
                        {answer.followUps.map((f) => (
                          <FollowUp key={f.id} followUp={f} order={`order ${orderText(answer.orderName, answer.orderId)}`} timezone={timezone} />
                        ))}
                      </ul>
                    ) : null}
                  </BlockStack>
                </Box>
              </li>
            ))}
          </ol>
        ) : (
          <Text as="p" tone="subdued">
            No survey answers from this customer yet.
          </Text>
        )}
        {truncated ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {`Showing the latest ${formatCount(answers.length)} answers.`}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
