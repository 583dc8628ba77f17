import { Form, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import type { SerializeFrom } from "@remix-run/node";
import { useState } from "react";
import type { CxDashboard } from "~/services/cx-dashboard.server";
import { OrderLink } from "../OrderLink";
import { scoreTone } from "../score-tone";
import { formatDate } from "~/domain/dates";

/** A comment as the CX dashboard sends it (one definition: services/cx-dashboard.server.ts and the model it reads). */
type CommentView = SerializeFrom<CxDashboard>["comments"][number];


/** The latest comments with their score badges, and a search over the comments of the period. */
export function CommentsCard({ comments, search, timezone }: { comments: CommentView[]; search: string | null; timezone: string }) {
  const [params] = useSearchParams();
  const [query, setQuery] = useState(search ?? "");
  const kept = [...params].filter(([key]) => key !== "q");
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Latest comments
        </Text>
        <Form method="get" role="search" preventScrollReset>
          {kept.map(([key, value]) => (
            <input key={key} type="hidden" name={key} value={value} />
          ))}
          <InlineStack gap="200" blockAlign="end">
            <div style={{ flexGrow: 1 }}>
              <TextField label="Search comments" name="q" value={query} onChange={setQuery} autoComplete="off" maxLength={100} clearButton onClearButtonClick={() => setQuery("")} />
            </div>
            <Button submit>Search</Button>
          </InlineStack>
        </Form>
        {comments.length ? (
          <BlockStack gap="300">
            {comments.map((c) => (
              <Box key={c.id} padding="300" background="bg-surface-secondary" borderRadius="200">
                <BlockStack gap="150">
                  <InlineStack gap="200">
                    {c.nps !== null ? <Badge tone={scoreTone("nps", c.nps)}>{`NPS ${c.nps}`}</Badge> : null}
                    {c.csat !== null ? <Badge tone={c.csat >= 4 ? "success" : c.csat <= 2 ? "critical" : undefined}>{`CSAT ${c.csat}`}</Badge> : null}
                    {c.ces !== null ? <Badge tone={c.ces >= 5 ? "success" : c.ces <= 3 ? "critical" : undefined}>{`CES ${c.ces}`}</Badge> : null}
                  </InlineStack>
                  <Text as="p">{c.comment}</Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {formatDate(c.createdAt, timezone)} · order <OrderLink orderId={c.orderId} name={c.orderName} />
                  </Text>
                </BlockStack>
              </Box>
            ))}
          </BlockStack>
        ) : (
          <Text as="p" tone="subdued">
            {search ? `No comments in this period contain “${search}”.` : "No comments in this period."}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
