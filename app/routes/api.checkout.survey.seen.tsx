// POST /api/checkout/survey/seen (+ OPTIONS): the survey was shown (once per order and surface; decision 041).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { SURVEY_SURFACES, type SurveySurface } from "~/domain/survey/answer";
import { errorName, log } from "~/logger.server";
import { recordSeen } from "~/services/survey-seen.server";
import { authenticateSurveyCaller, readOrderBody, reply } from "~/services/survey-request.server";

/** The body is one order GID: far below this. */
const MAX_SEEN_BYTES = 1024;

async function handle(request: Request): Promise<Response> {
  const authenticated = await authenticateSurveyCaller(request);
  if ("response" in authenticated) return authenticated.response;
  const { caller } = authenticated;
  const { shop, cors } = caller;
  if (request.method !== "POST") return reply(cors, 405, { errors: { method: "Use POST" } }, { Allow: "POST, OPTIONS" });

  const surface = (new URL(request.url).searchParams.get("surface") ?? "thank-you") as SurveySurface;
  if (!SURVEY_SURFACES.includes(surface)) return reply(cors, 400, { errors: { surface: "Expected thank-you or order-status" } });

  const read = await readOrderBody(request, caller, MAX_SEEN_BYTES, "survey seen");
  if ("response" in read) return read.response;
  try {
    const created = await recordSeen(shop, read.orderNumericId, surface);
    return reply(cors, created ? 201 : 200, { ok: true });
  } catch (error) {
    log.error("survey seen failed", { shop, error: errorName(error) });
    return reply(cors, 500, { errors: { request: "Temporary failure, please retry" } });
  }
}

export const action = ({ request }: ActionFunctionArgs) => handle(request);

/** OPTIONS (the preflight, answered by the library) and a GET (405) land here. */
export const loader = ({ request }: LoaderFunctionArgs) => handle(request);
