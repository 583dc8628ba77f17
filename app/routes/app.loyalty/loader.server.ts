import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { loyaltyOverview } from "~/services/loyalty.server";
import { orderHistoryReach } from "~/services/order-history-reach.server";
import { shopifyReturnRuleDifferences } from "~/services/return-policy.server";
import { rewardsOverview } from "~/services/rewards.server";
import { tierPerksOverview } from "~/services/tier-perks.server";

export async function loyaltyLoader({ request }: LoaderFunctionArgs) {
  const { shop, session } = await requireAdmin(request);
  const [overview, rewards, tierPerks, historyReach, returnRuleDifferences] = await Promise.all([
    loyaltyOverview(shop),
    rewardsOverview(shop),
    tierPerksOverview(shop),
    orderHistoryReach(shop, session.scope),
    shopifyReturnRuleDifferences(shop),
  ]);
  return { ...overview, rewards: rewards.rewards, rewardFigures: rewards.figures, tierPerks, historyReach, returnRuleDifferences };
}
