// POST /bench/webhook-floor: the benchmark's floor for webhook ingest (bench/run.mjs). It reads the body, checks
// its HMAC exactly as a webhook must be checked, and answers, doing nothing else. Mounted only with
// AFTERGLOW_BENCH=1; otherwise it is a 404 like any unknown path.
import type { ActionFunctionArgs } from "@remix-run/node";
import { env } from "~/env.server";
import { hasValidHmac } from "~/shopify/webhook-signature.server";

const notFound = () => new Response(null, { status: 404 });

export const loader = notFound;

export async function action({ request }: ActionFunctionArgs) {
  if (env.AFTERGLOW_BENCH !== "1") return notFound();
  const body = Buffer.from(await request.arrayBuffer());
  const valid = hasValidHmac(body, request.headers.get("x-shopify-hmac-sha256") ?? "", env.SHOPIFY_API_SECRET);
  return new Response(null, { status: valid ? 200 : 401 });
}
