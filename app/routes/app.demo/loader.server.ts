import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/auth.server";

/** Demo only: every Admin API document the demo would have sent to Shopify. 404 in a production build. */
export async function demoLogLoader({ request }: LoaderFunctionArgs) {
  if (!__AFTERGLOW_DEMO_BUILD__) throw new Response("Not found", { status: 404 });
  await requireAdmin(request);
  const { callTotals, recordedCalls } = await import("~/demo/admin-recorder.server");
  return { calls: recordedCalls().slice(0, 100), totals: callTotals() };
}
