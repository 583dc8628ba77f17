import { Link } from "@remix-run/react";
import { BlockStack, Button, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import type { CxDashboard } from "~/services/cx-dashboard.server";
import type { SerializeFrom } from "@remix-run/node";
import { CommentsCard } from "./CommentsCard";
import { DateRangeBar } from "./DateRangeBar";
import { NpsSplitBar } from "./NpsSplitBar";
import { ScoreCard } from "./ScoreCard";
import { SegmentsCard } from "./SegmentsCard";
import { TrendCard } from "./TrendCard";
import { WorthCard } from "./WorthCard";

/**
 * Where an empty card sends a shop that never received an answer: the setup guide's first step, the checkout editor
 * opened on the thank-you page with the survey block offered (in the top frame, as every admin link).
 */
function FirstAnswerHint({ link }: { link: string }) {
  return (
    <InlineStack gap="200" blockAlign="center">
      <Text as="p" tone="subdued">
        No answers yet: the survey is not on your thank-you page.
      </Text>
      <Button url={link} target="_top" variant="plain">
        Add the survey to your thank-you page
      </Button>
    </InlineStack>
  );
}

/**
 * The customer-experience half of the dashboard, for the range in the URL. `firstAnswerLink` is set while the shop
 * has no answer from the thank-you page: the empty states then point to the setup step that fills them.
 */
export function CxSection({ cx, firstAnswerLink, timezone }: { cx: SerializeFrom<CxDashboard>; firstAnswerLink: string | null; timezone: string }) {
  const { current, deltas } = cx.cards;
  const noAnswers = current.answers === 0;
  const hint = firstAnswerLink ? <FirstAnswerHint link={firstAnswerLink} /> : null;
  return (
    <BlockStack gap="400">
      <Card>
        <DateRangeBar range={cx.range} />
      </Card>
      {noAnswers ? (
        <Card>
          {hint ?? (
            <Text as="p" tone="subdued">
              No survey answers in this period. Answers arrive as shoppers fill in the post-purchase survey; its questions are
              on the <Link to="/app/survey">Survey</Link> page.
            </Text>
          )}
        </Card>
      ) : null}
      <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
        <ScoreCard id="nps" metric="nps" label="NPS" figure={current.nps} format={String} delta={deltas.nps} deltaUnit="points" countLabel="NPS answers" marginFormat={(m) => `${m} points`} />
        <ScoreCard id="csat" metric="csat" label="CSAT" figure={current.csat} format={(v) => `${v}%`} delta={deltas.csat} deltaUnit="points" countLabel="CSAT answers" marginFormat={(m) => `${m} points`} />
        <ScoreCard
          id="ces"
          metric="ces"
          label="CES (1–7, higher is easier)"
          figure={current.ces}
          format={(v) => v.toFixed(1)}
          delta={deltas.ces}
          deltaUnit=""
          countLabel="CES answers"
          extra={current.ces.easyShare.value === null ? undefined : `${current.ces.easyShare.value}% answered 5 or more`}
        />
        <ScoreCard
          id="response-rate"
          metric="responseRate"
          label="Response rate"
          figure={current.responseRate}
          format={(v) => `${v}%`}
          delta={deltas.responseRate}
          deltaUnit="points"
          countLabel="orders in the period"
          marginFormat={(m) => `${m} points`}
        />
      </InlineGrid>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Promoters, passives and detractors
          </Text>
          <NpsSplitBar split={current.nps.split} counts={current.nps.counts} />
        </BlockStack>
      </Card>
      <TrendCard trend={cx.trend} granularity={cx.granularity} emptyHint={hint} />
      <SegmentsCard segments={cx.segments} emptyHint={hint} />
      <WorthCard worth={cx.worth} currency={cx.currency} />
      <CommentsCard comments={cx.comments} search={cx.search} timezone={timezone} />
    </BlockStack>
  );
}
