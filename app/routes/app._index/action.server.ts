import type { ActionFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";
import { startOrderImport } from "~/services/order-import.server";
import { setSetupGuideDismissed } from "~/services/setup-guide.server";

/**
 * POST /app, form `intent`: `import-orders` starts the import of the shop's past orders; `dismiss-setup-guide` /
 * `show-setup-guide` hide or show the setup guide for the shop (the session's shop, never a posted one).
 */
export async function dashboardAction({ request }: ActionFunctionArgs) {
  const { shop, graphql } = await requireAdmin(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "import-orders") return startOrderImport(shop, { graphql });
  if (intent === "dismiss-setup-guide" || intent === "show-setup-guide") return setSetupGuideDismissed(shop, intent === "dismiss-setup-guide");
  throw new Response("Unknown intent", { status: 400 });
}
