import { Link } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import type { CxDashboard } from "~/services/cx-dashboard.server";
import type { SerializeFrom } from "@remix-run/node";
import { CommentsCard } from "./CommentsCard";
import { DateRangeBar } from "./DateRangeBar";
import { NpsSplitBar } from "./NpsSplitBar";
import { ScoreCard } from "./ScoreCard";
import { SegmentsCard } from "./SegmentsCard";
import { TrendCard } from "./TrendCard";
import { WorthCard } from "./WorthCard";

/** The customer-experience half of the dashboard, for the range in the URL. */
export function CxSection({ cx }: { cx: SerializeFrom<CxDashboard> }) {
  const { current, deltas } = cx.cards;
  const noAnswers = current.answers === 0;
  return (
    <BlockStack gap="400">
      <Card>
        <DateRangeBar range={cx.range} />
      </Card>
      {noAnswers ? (
        <Card>
          <Text as="p" tone="subdued">
            No survey answers in this period. Answers arrive as shoppers fill in the post-purchase survey; set it up on the{" "}
            <Link to="/app/survey">Survey</Link> page.
          </Text>
        </Card>
      ) : null}
      <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
        <ScoreCard id="nps" label="NPS" figure={current.nps} format={String} delta={deltas.nps} deltaUnit="points" countLabel="NPS answers" marginFormat={(m) => `${m} points`} />
        <ScoreCard id="csat" label="CSAT" figure={current.csat} format={(v) => `${v}%`} delta={deltas.csat} deltaUnit="points" countLabel="CSAT answers" marginFormat={(m) => `${m} points`} />
        <ScoreCard
          id="ces"
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
      <TrendCard trend={cx.trend} granularity={cx.granularity} />
      <SegmentsCard segments={cx.segments} />
      <WorthCard worth={cx.worth} currency={cx.currency} />
      <CommentsCard comments={cx.comments} search={cx.search} />
    </BlockStack>
  );
}
