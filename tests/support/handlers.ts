/**
 * Calls a Remix loader or action the way the server does and normalises what comes back: a Response (returned or
 * thrown), `data(body, { status })` (single fetch), or a plain value (status 200). `text` is what the client would
 * receive: the response body, or the value as JSON.
 */
export type Handler = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => unknown;

export interface HandlerResult {
  status: number;
  text: string;
  /** The returned value (not a Response). */
  value: unknown;
  headers: Headers;
}

interface DataWithInit {
  type?: string;
  data: unknown;
  init: { status?: number; headers?: HeadersInit } | null;
}

const isDataWithInit = (value: unknown): value is DataWithInit =>
  typeof value === "object" && value !== null && "data" in value && "init" in value && Object.keys(value).every((k) => ["type", "data", "init"].includes(k));

export async function callHandler(handler: Handler, request: Request, params: Record<string, string> = {}): Promise<HandlerResult> {
  let outcome: unknown;
  try {
    outcome = await handler({ request, params, context: {} });
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown;
    outcome = thrown;
  }
  if (outcome instanceof Response) {
    return { status: outcome.status, text: await outcome.text(), value: undefined, headers: outcome.headers };
  }
  if (isDataWithInit(outcome)) {
    return { status: outcome.init?.status ?? 200, text: JSON.stringify(outcome.data) ?? "", value: outcome.data, headers: new Headers(outcome.init?.headers) };
  }
  return { status: 200, text: JSON.stringify(outcome) ?? "null", value: outcome, headers: new Headers() };
}
