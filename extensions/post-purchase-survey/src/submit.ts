import { validateSubmission, type SurveyAnswers, type SurveySurface } from "../../../app/domain/survey/answer";
import type { SurveyConfig } from "../../../app/domain/survey/questions";
import type { SurveyHost } from "./host";

const DEFAULT_APP_URL = "https://afterglow.example.com";

/**
 * The fallback backend origin, used only while the shop's published config carries no `endpoint` (the app adds
 * its own URL on every publish). `process.env.AFTERGLOW_APP_URL` is replaced at build time by esbuild's `define`
 * (scripts/build-extension.mjs); where nothing replaced it (tests, another bundler) the reference throws and the
 * default is used. See README.md.
 */
function appUrl(): string {
  let url: string | undefined;
  try {
    url = process.env.AFTERGLOW_APP_URL;
  } catch {
    url = undefined;
  }
  return (url || DEFAULT_APP_URL).replace(/\/+$/, "");
}

/** The answers endpoint: the one the app published with the config, else the built-in origin's. */
const endpointUrl = (endpoint: string | undefined) => endpoint ?? `${appUrl()}/api/checkout/survey`;

/**
 * Asks the app whether the order already has an answer (order status page only: the shopper may have answered on
 * the thank-you page, whose storage this page does not share). Any failure → false: the survey shows, and the
 * server still refuses a late second answer with 409.
 */
export async function fetchAnswered(host: SurveyHost, endpoint: string | undefined, orderId: string): Promise<boolean> {
  try {
    const token = await host.sessionToken.get();
    const res = await fetch(`${endpointUrl(endpoint)}?orderId=${encodeURIComponent(orderId)}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!res.ok) return false;
    const body = (await res.json()) as { answered?: unknown };
    return body.answered === true;
  } catch {
    return false;
  }
}

/** How long the survey waits for the app's answer about the customer before counting the order as a first order. */
export const AUDIENCE_WAIT_MS = 3000;

/**
 * Asks the app whether this order is the signed-in customer's first (POST <endpoint>/audience, decision 045), for
 * questions targeted at first orders or returning customers: false for a returning customer, true for a first order,
 * null when the app could not say in time (then it counts as a first order, as a guest's does).
 */
export async function fetchFirstOrder(host: SurveyHost, endpoint: string | undefined, orderId: string): Promise<boolean | null> {
  const ask = async () => {
    const token = await host.sessionToken.get();
    const res = await fetch(`${endpointUrl(endpoint)}/audience`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ orderId }),
    });
    if (!res.ok) return null;
    const body = (await res.json()) as { firstOrder?: unknown };
    return typeof body.firstOrder === "boolean" ? body.firstOrder : null;
  };
  try {
    return await Promise.race([ask(), new Promise<null>((resolve) => setTimeout(() => resolve(null), AUDIENCE_WAIT_MS))]);
  } catch {
    return null;
  }
}

export type SubmitResult = "ok" | "already" | "invalid" | "failed";

/** Storage key remembering, on this device, that an order's survey was answered. Keyed by the numeric id. */
export const answeredKey = (orderId: string) => `answered:${orderId.replace(/^gid:\/\/shopify\/\w+\//, "")}`;

/**
 * POSTs the answers. 2xx → ok; 409 (already answered, or the 24 h edit window is over) → already;
 * 400, 403 (the order is another customer's), 422 (older than the shop's answer window) or a body that fails
 * `validateSubmission` → invalid (retrying would not help); anything else, including a network error → failed
 * (the shopper may retry).
 */
export async function submitSurvey(
  host: SurveyHost,
  config: SurveyConfig,
  surface: SurveySurface,
  orderId: string,
  locale: string,
  answers: SurveyAnswers,
  step: { complete: boolean; reached: string[] },
): Promise<SubmitResult> {
  // Answers are saved as they are given (decision 041): each step sends every answer so far, so a step lost to the
  // network is carried by the next one, and a repeat changes nothing on the server. The last step completes the set.
  const input = { orderId, locale, answers, ...(step.complete ? {} : { complete: false }), ...(step.reached.length ? { reached: step.reached } : {}) };
  // Checked as the server will check it, custom answers against the questions this config asks.
  const checked = validateSubmission(input, config);
  if (!checked.ok) return "invalid";
  const { orderNumericId: _numeric, ...body } = checked.value;
  try {
    const token = await host.sessionToken.get();
    const res = await fetch(`${endpointUrl(config.endpoint)}?surface=${surface}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    if (res.ok) return "ok";
    if (res.status === 409) return "already";
    if (res.status === 400 || res.status === 403 || res.status === 422) return "invalid";
    return "failed";
  } catch {
    return "failed";
  }
}

/** Storage key remembering, on this device, that the survey of an order was shown on a surface. */
const seenKey = (surface: SurveySurface, orderId: string) => `seen:${surface}:${orderId.replace(/^gid:\/\/shopify\/\w+\//, "")}`;

/**
 * Tells the app the survey was shown (POST <endpoint>/seen, decision 041): the order only, no answer, no personal data.
 * Once per order and surface: this device remembers it after a 2xx, and the server stores a repeat as nothing new.
 * Failures are dropped: a missed "seen" only lowers the response rate's denominator by one.
 */
export async function sendSeen(host: SurveyHost, endpoint: string | undefined, surface: SurveySurface, orderId: string): Promise<void> {
  try {
    if (await host.storage.read(seenKey(surface, orderId))) return;
    const token = await host.sessionToken.get();
    const res = await fetch(`${endpointUrl(endpoint)}/seen?surface=${surface}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ orderId }),
    });
    if (res.ok) await host.storage.write(seenKey(surface, orderId), true);
  } catch {
    // dropped: see above
  }
}
