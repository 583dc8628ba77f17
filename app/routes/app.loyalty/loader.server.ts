import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { loyaltyOverview } from "~/services/loyalty.server";
import { rewardsCatalogue } from "~/services/rewards.server";

export async function loyaltyLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const [overview, rewards] = await Promise.all([loyaltyOverview(shop), rewardsCatalogue(shop)]);
  return { ...overview, rewards };
}
