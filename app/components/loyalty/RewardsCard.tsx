import { Badge, BlockStack, Box, Button, Card, Divider, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { Fragment } from "react";
import { EMPTY_REWARD_FORM, rewardFormOf, type RewardForm } from "~/domain/loyalty/rewards";
import { formatMoney } from "~/domain/money";
import type { rewardsOverview } from "~/services/rewards.server";
import { RewardEditor } from "./RewardEditor";

type Overview = Awaited<ReturnType<typeof rewardsOverview>>;
type Reward = Overview["rewards"][number];

interface RewardsCardProps {
  rewards: Reward[];
  figures: Overview["figures"];
  currency: string;
  /** Which reward is open in the editor: its id, "new", or null. */
  editing: number | "new" | null;
  saving: boolean;
  serverErrors: Record<string, string> | null;
  onEdit(editing: number | "new" | null): void;
  onSave(rewardId: number | null, form: RewardForm): void;
  /** Offers the reward to shoppers again, or stops offering it (codes already issued stay valid). */
  onToggle(reward: Reward): void;
}

/**
 * The rewards catalogue: what shoppers can spend points on from their customer account, each with its cost, what it
 * gives, how long its code stays valid and whether it is offered; add and edit in place.
 */
export function RewardsCard({ rewards, figures, currency, editing, saving, serverErrors, onEdit, onSave, onToggle }: RewardsCardProps) {
  const open = editing === "new" ? null : rewards.find((r) => r.id === editing);
  const editor = (initial: RewardForm, rewardId: number | null) => (
    <RewardEditor
      key={rewardId ?? "new"}
      initial={initial}
      isNew={rewardId === null}
      currency={currency}
      saving={saving}
      serverErrors={serverErrors}
      onSave={(form) => onSave(rewardId, form)}
      onClose={() => onEdit(null)}
    />
  );
  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Rewards
          </Text>
          <Button onClick={() => onEdit("new")} disabled={editing !== null}>
            Add reward
          </Button>
        </InlineStack>
        <Text as="p" tone="subdued">
          Shoppers spend their points on these from their customer account and get a single-use discount code only they can use.
        </Text>
        <RewardFigures figures={figures} currency={currency} />
        {editing === "new" ? editor(EMPTY_REWARD_FORM, null) : null}
        {rewards.length === 0 && editing !== "new" ? (
          <Text as="p">No rewards yet: add one so shoppers have something to spend their points on.</Text>
        ) : null}
        <BlockStack gap="300">
          {rewards.map((reward, i) => (
            <Fragment key={reward.id}>
              {i > 0 ? <Divider /> : null}
              {open?.id === reward.id ? (
                editor(rewardFormOf(reward), reward.id)
              ) : (
                <InlineStack align="space-between" blockAlign="center" gap="300" wrap>
                  <BlockStack gap="100">
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="h3" variant="headingSm">
                        {reward.title}
                      </Text>
                      {reward.enabled ? <Badge tone="success">Offered</Badge> : <Badge>Off</Badge>}
                    </InlineStack>
                    <Text as="p" tone="subdued">
                      {`${reward.valueText} · ${reward.pointsCost.toLocaleString("en-US")} points · code valid ${reward.validityDays} ${reward.validityDays === 1 ? "day" : "days"}`}
                    </Text>
                  </BlockStack>
                  <Box>
                    <InlineStack gap="200">
                      <Button onClick={() => onEdit(reward.id)} disabled={editing !== null} accessibilityLabel={`Edit ${reward.title}`}>
                        Edit
                      </Button>
                      <Button
                        onClick={() => onToggle(reward)}
                        disabled={editing !== null || saving}
                        accessibilityLabel={`${reward.enabled ? "Turn off" : "Turn on"} ${reward.title}`}
                      >
                        {reward.enabled ? "Turn off" : "Turn on"}
                      </Button>
                    </InlineStack>
                  </Box>
                </InlineStack>
              )}
            </Fragment>
          ))}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}

const count = (n: number) => n.toLocaleString("en-US");

/**
 * The programme in figures: points earned (net of refunds), redeemed (net of points given back), pending (inside a
 * return window, decision 043) and outstanding (spendable), what
 * the outstanding points are worth, the codes issued, used, expired and waiting for Shopify, and the revenue of the
 * orders that used a code.
 */
function RewardFigures({ figures, currency }: { figures: Overview["figures"]; currency: string }) {
  const figure = (label: string, value: string, help?: string) => (
    <BlockStack gap="100">
      <Text as="h3" variant="headingSm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingLg">
        {value}
      </Text>
      {help ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {help}
        </Text>
      ) : null}
    </BlockStack>
  );
  const { codes } = figures;
  const rate = figures.liabilityRate;
  return (
    <InlineGrid columns={{ xs: 2, md: 3 }} gap="400">
      {figure("Points earned", count(figures.earned), "net of refunds and cancellations")}
      {figure("Points redeemed", count(figures.redeemed))}
      {figure("Points pending", count(figures.pending), "earned on orders still inside their return window; not spendable yet")}
      {figure(
        "Points outstanding",
        count(figures.outstanding),
        figures.liabilityMinor === null || !rate
          ? "add an amount-off reward to see what they are worth"
          : `worth ${formatMoney(figures.liabilityMinor, currency)} at ${formatMoney(rate.amountMinor, currency)} per ${count(rate.pointsCost)} points`,
      )}
      {figure("Codes issued", count(codes.issued + codes.used + codes.expired), `${count(codes.used)} used · ${count(codes.expired)} expired${codes.pending ? ` · ${count(codes.pending)} waiting for Shopify` : ""}`)}
      {figure(
        "Orders with a reward",
        formatMoney(figures.rewardOrders.netMinor, currency),
        `net of refunds, from ${count(figures.rewardOrders.orders)} ${figures.rewardOrders.orders === 1 ? "order" : "orders"} that used a reward code`,
      )}
    </InlineGrid>
  );
}
