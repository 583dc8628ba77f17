import { BlockStack, InlineStack, Link, Text } from "@shopify/polaris";
import { formatDate } from "~/domain/dates";
import type { EarlierAnswerView, FollowUpContact } from "~/domain/followups/views";
import { orderText } from "../OrderLink";
import { ScoreBadges } from "./ScoreBadges";

interface ContactDetailsProps {
  contact: FollowUpContact;
  earlierAnswers: EarlierAnswerView[];
  /** Names the follow-up in link labels ("order #1001"). */
  order: string;
  timezone: string;
}

/**
 * How to reach the customer of a follow-up (decision 044): the e-mail the app holds with a link that opens a message
 * with the subject prefilled in the customer's language, and their earlier answers (newest first).
 */
export function ContactDetails({ contact, earlierAnswers, order, timezone }: ContactDetailsProps) {
  return (
    <BlockStack gap="100">
      <InlineStack gap="300" blockAlign="center">
        <Text as="span">
          <Text as="span" tone="subdued">
            {"Email: "}
          </Text>
          {contact.email ?? "none on file"}
        </Text>
        {contact.mailto ? (
          // Opened from the top frame: inside the admin the iframe may not start the mail app.
          <Link url={contact.mailto} target="_top" accessibilityLabel={`Write an email to the customer about ${order} (subject: ${contact.subject})`}>
            Write an email
          </Link>
        ) : null}
      </InlineStack>
      {earlierAnswers.length ? (
        <details>
          <summary>
            <Text as="span">{`Earlier answers (${earlierAnswers.length})`}</Text>
          </summary>
          <ul style={{ margin: 0, paddingInlineStart: "1.25rem" }}>
            {earlierAnswers.map((answer) => (
              <li key={answer.responseId}>
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span">{`${formatDate(answer.createdAt, timezone)} · order ${orderText(answer.orderName, answer.orderId)}`}</Text>
                  <ScoreBadges scores={answer} />
                  {answer.comment ? (
                    <Text as="span" breakWord>
                      {`“${answer.comment}”`}
                    </Text>
                  ) : null}
                </InlineStack>
              </li>
            ))}
          </ul>
        </details>
      ) : (
        <Text as="p" tone="subdued">
          No earlier answers from this customer.
        </Text>
      )}
    </BlockStack>
  );
}
