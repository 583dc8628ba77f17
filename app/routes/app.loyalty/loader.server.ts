import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { loyaltyOverview } from "~/services/loyalty.server";
import { rewardsOverview } from "~/services/rewards.server";
import { tierPerksOverview } from "~/services/tier-perks.server";

export async function loyaltyLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const [overview, rewards, tierPerks] = await Promise.all([loyaltyOverview(shop), rewardsOverview(shop), tierPerksOverview(shop)]);
  return { ...overview, rewards: rewards.rewards, rewardFigures: rewards.figures, tierPerks };
}
