import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { customerProfile } from "~/services/customer-pages.server";

/** A 404 for a customer the shop does not have (another shop's, or erased): the page's error boundary says so. */
export const customerNotFound = () => new Response("Customer not found", { status: 404, headers: { "Content-Type": "text/plain" } });

/** GET /app/customers/:id: the customer's profile, ledger, orders and tier history. */
export async function customerLoader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  const profile = await customerProfile(shop, params.id ?? "");
  if (!profile) throw customerNotFound();
  return profile;
}
