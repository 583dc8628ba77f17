// POST /api/checkout/survey/audience (+ OPTIONS): is this order the signed-in shopper's first? (targeting; decision 045)
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { errorName, log } from "~/logger.server";
import { surveyFirstOrder } from "~/services/survey-audience.server";
import { authenticateSurveyCaller, readOrderBody, reply } from "~/services/survey-request.server";

/** The body is one order GID: far below this. */
const MAX_AUDIENCE_BYTES = 1024;

async function handle(request: Request): Promise<Response> {
  const authenticated = await authenticateSurveyCaller(request);
  if ("response" in authenticated) return authenticated.response;
  const { caller } = authenticated;
  const { shop, cors } = caller;
  if (request.method !== "POST") return reply(cors, 405, { errors: { method: "Use POST" } }, { Allow: "POST, OPTIONS" });

  const read = await readOrderBody(request, caller, MAX_AUDIENCE_BYTES, "survey audience");
  if ("response" in read) return read.response;
  try {
    // Whether the answer came from the customer's history or is the guest rule; never anything about the orders.
    return reply(cors, 200, await surveyFirstOrder(shop, caller.sub, read.orderNumericId), { "Cache-Control": "private, no-store" });
  } catch (error) {
    log.error("survey audience failed", { shop, error: errorName(error) });
    return reply(cors, 500, { errors: { request: "Temporary failure, please retry" } });
  }
}

export const action = ({ request }: ActionFunctionArgs) => handle(request);

/** OPTIONS (the preflight, answered by the library) and a GET (405) land here. */
export const loader = ({ request }: LoaderFunctionArgs) => handle(request);
