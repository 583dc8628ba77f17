import type { ActionFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { startOrderImport } from "~/services/order-import.server";

/** POST /app, form `intent=import-orders`: starts the import of the shop's past orders. */
export async function dashboardAction({ request }: ActionFunctionArgs) {
  const { shop, graphql } = await requireAdmin(request);
  const form = await request.formData();
  if (form.get("intent") !== "import-orders") throw new Response("Unknown intent", { status: 400 });
  return startOrderImport(shop, { graphql });
}
