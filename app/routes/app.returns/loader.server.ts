import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { loadReturnsPage } from "~/services/return-policy.server";

/** GET /app/returns: the policy, its versions and publication, Shopify's copy, and the return figures of `?range=` / `?from=&to=`. */
export async function returnsLoader({ request }: LoaderFunctionArgs) {
  const { shop, graphql } = await requireAdmin(request);
  return loadReturnsPage(shop, graphql, new URL(request.url).searchParams);
}
