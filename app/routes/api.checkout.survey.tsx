// POST /api/checkout/survey (+ OPTIONS): survey answers from the thank-you / order status extension.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { loggableErrors, orderNumericId, validateSubmission } from "~/domain/survey/answer";
import { tokenCustomer, type AnswerWriteRefusal } from "~/domain/survey/answer-integrity";
import { errorName, log } from "~/logger.server";
import { recordSurveyAnswer, SURVEY_SURFACES, surveyAnswerStatus, type SurveySurface } from "~/services/survey-answers.server";
import { authenticateSurveyCaller, readSurveyBody, reply, type Cors } from "~/services/survey-request.server";
import { publishedSurveyConfig } from "~/services/survey-settings.server";

/** Far above any real answer set (a 1,000-character comment in 4-byte characters is 4 KB). */
export const MAX_SURVEY_BYTES = 16 * 1024;

async function handle(request: Request): Promise<Response> {
  const authenticated = await authenticateSurveyCaller(request);
  if ("response" in authenticated) return authenticated.response;
  const { caller } = authenticated;
  const { shop, cors } = caller;
  if (request.method === "GET") return answerStatus(shop, request, cors);
  if (request.method !== "POST") return reply(cors, 405, { errors: { method: "Use GET or POST" } }, { Allow: "GET, POST, OPTIONS" });

  const surfaceParam = new URL(request.url).searchParams.get("surface");
  const surface = (surfaceParam ?? "thank-you") as SurveySurface;
  if (!SURVEY_SURFACES.includes(surface)) return reply(cors, 400, { errors: { surface: "Expected thank-you or order-status" } });

  // Rate limits count per order (the body's), token and shop: answers are saved as given, one request per question.
  const read = await readSurveyBody(request, caller, MAX_SURVEY_BYTES, "survey answer");
  if ("response" in read) return read.response;
  const { input } = read;
  // Answers to the merchant's own questions are checked against the questions published to shoppers; a set without
  // any (the common case) needs no read.
  let validation;
  try {
    validation = validateSubmission(input, answersCustomQuestions(input) ? await publishedSurveyConfig(shop) : null);
  } catch (error) {
    log.error("survey config read failed", { shop, error: errorName(error) });
    return reply(cors, 500, { errors: { request: "Temporary failure, please retry" } });
  }
  if (!validation.ok) {
    // The 400 names every refused field back to the sender; the log names only fields the schema knows.
    log.info("survey answer rejected", { shop, ...loggableErrors(validation.errors) });
    return reply(cors, 400, { errors: validation.errors });
  }

  const submission = validation.value;
  try {
    // Whom the token names decides which orders' answers it may write (app/domain/survey/answer-integrity.ts).
    const writer = { customerId: tokenCustomer(caller.sub) };
    const recorded = await recordSurveyAnswer(shop, submission, { surface, writer });
    const fields = { shop, orderId: submission.orderNumericId, surface, outcome: recorded.outcome };
    if (recorded.outcome === "refused") {
      log.info("survey answer refused", { ...fields, reason: recorded.reason });
      const [status, message] = refusal(recorded.reason, recorded.windowDays);
      return reply(cors, status, { errors: { order: message } });
    }
    if (recorded.outcome === "locked") {
      log.info("survey answer refused: answers are final", fields);
      return reply(cors, 409, { errors: { order: "This order's answers can no longer be changed" } });
    }
    log.info("survey answer recorded", fields);
    const created = recorded.outcome === "created" || recorded.outcome === "pending-created";
    return reply(cors, created ? 201 : 200, { ok: true });
  } catch (error) {
    log.error("survey answer failed", { shop, orderId: submission.orderNumericId, error: errorName(error) });
    return reply(cors, 500, { errors: { request: "Temporary failure, please retry" } });
  }
}

/** Whether the body carries answers to custom questions (`answers.custom`), whatever their shape. */
function answersCustomQuestions(input: unknown): boolean {
  const answers = typeof input === "object" && input !== null ? (input as { answers?: unknown }).answers : undefined;
  return typeof answers === "object" && answers !== null && "custom" in answers;
}

/** The answer to a refused write: who may write an order's answers is in app/domain/survey/answer-integrity.ts. */
function refusal(reason: AnswerWriteRefusal, windowDays: number): [number, string] {
  switch (reason) {
    case "not-owner":
      return [403, "This order belongs to another customer"];
    case "guest-replace":
      return [409, "This order already has answers; only its customer, signed in, can change them"];
    case "too-old":
      return [422, `This order was placed more than ${windowDays} days ago; answers are no longer taken`];
  }
}

/**
 * GET ?orderId=<order GID>: `{ answered, editable }`, so the order status page shows the survey only while the
 * order has no answer. Reveals one boolean pair about an order of the token's own shop; a point lookup, not
 * rate-limited.
 */
async function answerStatus(shop: string, request: Request, cors: Cors): Promise<Response> {
  const orderId = orderNumericId(new URL(request.url).searchParams.get("orderId"));
  if (!orderId) return reply(cors, 400, { errors: { orderId: "Expected an order GID such as gid://shopify/Order/123" } });
  try {
    return reply(cors, 200, await surveyAnswerStatus(shop, orderId), { "Cache-Control": "no-store" });
  } catch (error) {
    log.error("survey status failed", { shop, error: errorName(error) });
    return reply(cors, 500, { errors: { request: "Temporary failure, please retry" } });
  }
}

export const action = ({ request }: ActionFunctionArgs) => handle(request);

/** GET (the answer status) and OPTIONS land here; the library answers an OPTIONS preflight before anything else. */
export const loader = ({ request }: LoaderFunctionArgs) => handle(request);
