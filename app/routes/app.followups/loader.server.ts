import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { parseFollowUpListParams } from "~/domain/followups/list-params";
import { followUpsPage } from "~/services/followups.server";

/** GET /app/followups?status=&kind=&view=&band=&after=&before= — the counts and one page of the queue or of the answers to mark. */
export async function followUpsLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  return followUpsPage(shop, parseFollowUpListParams(new URL(request.url).searchParams));
}
