import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { shopDisplay } from "~/services/shop-profile.server";
import { listPrivacyRequests } from "~/services/privacy-requests.server";

/** GET /app/privacy?after=&before= — one page of the shop's privacy requests, newest first. */
export async function privacyLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const [page, { timezone }] = await Promise.all([listPrivacyRequests(shop, new URL(request.url).searchParams), shopDisplay(shop)]);
  return { ...page, timezone };
}
