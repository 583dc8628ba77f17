import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { flowPage } from "~/services/flow-page.server";

/** GET /app/flow: the shop's Shopify Flow triggers and actions, recent sends and action runs. */
export async function flowLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  return flowPage(shop);
}
