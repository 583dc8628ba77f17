/**
 * The one thing tests stub: Shopify's Admin GraphQL API. Requests to https://<shop>/admin/api/<version>/graphql.json
 * are answered here and recorded, so tests assert on the documents and variables the app sent.
 */
export interface AdminCall {
  shop: string;
  apiVersion: string;
  operation: string;
  query: string;
  variables: Record<string, unknown> | undefined;
}

type Responder = (call: AdminCall) => unknown | Promise<unknown>;

const ADMIN_GRAPHQL = /^https:\/\/([^/]+)\/admin\/api\/([^/]+)\/graphql\.json$/;

const responders = new Map<string, Responder>();
export const adminCalls: AdminCall[] = [];

/** Answers `operation` (the GraphQL operation name) with `{ data: respond(call) }`. */
export function stubAdminOperation(operation: string, respond: Responder) {
  responders.set(operation, respond);
}

export function resetAdminApi() {
  responders.clear();
  adminCalls.length = 0;
}

export function isAdminApiRequest(url: string) {
  return ADMIN_GRAPHQL.test(url);
}

export async function answerAdminApi(url: string, init: RequestInit | undefined): Promise<Response> {
  const [, shop = "", apiVersion = ""] = ADMIN_GRAPHQL.exec(url) ?? [];
  const body = JSON.parse(String(init?.body ?? "{}")) as { query: string; variables?: Record<string, unknown> };
  const operation = /\b(?:query|mutation)\s+([A-Za-z0-9_]+)/.exec(body.query)?.[1] ?? "anonymous";
  const call: AdminCall = { shop, apiVersion, operation, query: body.query, variables: body.variables };
  adminCalls.push(call);
  const respond = responders.get(operation);
  if (!respond) {
    throw new Error(`Admin API operation ${operation} was called but no test stubbed it (stubAdminOperation).`);
  }
  return Response.json({ data: await respond(call) });
}
