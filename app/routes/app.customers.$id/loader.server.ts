import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { customerProfile, parseCustomerPageParams } from "~/services/customer-pages.server";
import { customerRewardsForStaff } from "~/services/rewards.server";

/** A 404 for a customer the shop does not have (another shop's, or erased): the page's error boundary says so. */
export const customerNotFound = () => new Response("Customer not found", { status: 404, headers: { "Content-Type": "text/plain" } });

/**
 * GET /app/customers/:id?ledgerAfter=&ledgerBefore=&list=: the customer's profile, a page of their points ledger, their
 * survey answers with their follow-ups, orders and tier history; `list` is the customers list's query, for the back action.
 */
export async function customerLoader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const id = params.id ?? "";
  const [profile, rewards] = await Promise.all([customerProfile(shop, id, parseCustomerPageParams(new URL(request.url).searchParams)), customerRewardsForStaff(shop, id)]);
  if (!profile) throw customerNotFound();
  return { ...profile, rewards };
}
