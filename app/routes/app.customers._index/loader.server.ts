import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { listCustomers, parseCustomerListParams } from "~/services/customer-pages.server";

/** GET /app/customers?q=&tier=&nps=&sort=&dir=&after=&before=: one page of the shop's customers, and how many match. */
export async function customersLoader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdmin(request);
  return listCustomers(shop, parseCustomerListParams(new URL(request.url).searchParams));
}
