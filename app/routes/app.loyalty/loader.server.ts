import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { loyaltyOverview } from "~/services/loyalty.server";

export async function loyaltyLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  return loyaltyOverview(shop);
}
