import { throttleStatusOf, type ThrottleStatus } from "~/domain/admin-cost";

/**
 * The Admin GraphQL seam. Everything that talks to Shopify's Admin API receives an `AdminGraphql` function:
 * in the real app it is the session's `admin.graphql`; in the demo build it is the local recorder
 * (app/demo/admin-recorder.server.ts) so nothing ever leaves the machine.
 */
export type AdminGraphql = (
  query: string,
  options?: { variables?: Record<string, unknown> },
) => Promise<{ json(): Promise<unknown> }>;

export class AdminApiError extends Error {
  override name = "AdminApiError";
  constructor(
    message: string,
    readonly details: unknown,
    /** The throttle status the answer carried (a THROTTLED answer says how long to wait), or null. */
    readonly throttle: ReturnType<typeof throttleStatusOf> = null,
  ) {
    super(message);
  }
}

/**
 * Runs one document and returns `data` with the throttle status the answer carried (`extensions.cost`, null when
 * absent), turning GraphQL-level errors into an `AdminApiError`.
 */
export async function runAdminQueryMetered<T>(
  graphql: AdminGraphql,
  document: string,
  variables?: Record<string, unknown>,
): Promise<{ data: T; throttle: ThrottleStatus | null }> {
  const response = await graphql(document, variables ? { variables } : undefined);
  const body = (await response.json()) as { data?: T; errors?: unknown };
  const cost = throttleStatusOf(body);
  if (body.errors || body.data === undefined) {
    throw new AdminApiError("Admin API answered with errors", body.errors ?? "no data", cost);
  }
  return { data: body.data, throttle: cost?.status ?? null };
}

/** Runs one document and returns `data`, turning GraphQL-level errors into an `AdminApiError`. */
export async function runAdminQuery<T>(
  graphql: AdminGraphql,
  document: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  return (await runAdminQueryMetered<T>(graphql, document, variables)).data;
}
