/**
 * Shopify's token endpoint, stubbed like the Admin API (tests/support/admin-api.ts): with online tokens (decision 049)
 * the library exchanges an admin request's session token at `POST https://<shop>/admin/oauth/access_token` for the
 * shop's offline token and the staff member's online token whenever that staff member has no valid online session.
 * Requests are recorded (the body parsed) so tests assert exactly what was sent; a test that expects an exchange
 * answers it with `stubTokenExchange`, and an exchange no test stubbed fails loudly.
 */
export interface TokenExchangeCall {
  shop: string;
  method: string;
  body: Record<string, unknown>;
}

/** The staff member an online token is for (Shopify's `associated_user`). */
export interface StaffUser {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
}

const TOKEN_ENDPOINT = /^https:\/\/([^/]+)\/admin\/oauth\/access_token$/;
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";

export const tokenExchanges: TokenExchangeCall[] = [];
let staffOf: ((shop: string, sessionToken: string) => StaffUser) | null = null;

/**
 * Answers token exchanges as Shopify does: an offline token (expiring, with a refresh token) or an online token for the
 * staff member `staff` names (24 hours, Shopify's `associated_user` with their names).
 */
export function stubTokenExchange(staff: (shop: string, sessionToken: string) => StaffUser) {
  staffOf = staff;
}

export function resetTokenExchange() {
  tokenExchanges.length = 0;
  staffOf = null;
}

export function isTokenExchangeRequest(url: string) {
  return TOKEN_ENDPOINT.test(url);
}

/** The body the library sends for `requestedTokenType` (as Shopify's token-exchange reference describes it). */
export function expectedExchangeBody(sessionToken: string, requestedTokenType: string) {
  return {
    client_id: "test-api-key",
    client_secret: "test-api-secret",
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: sessionToken,
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    requested_token_type: requestedTokenType,
    expiring: "1",
  };
}

export async function answerTokenExchange(url: string, init: RequestInit | undefined): Promise<Response> {
  // (loaded here: tests/support/setup.ts loads this module before the database URL the app's environment needs is set)
  const { DEFAULT_SCOPES } = await import("~/env.server");
  const shop = TOKEN_ENDPOINT.exec(url)?.[1] ?? "";
  const body = JSON.parse(String(init?.body ?? "{}")) as Record<string, unknown>;
  tokenExchanges.push({ shop, method: init?.method ?? "GET", body });
  if (!staffOf) throw new Error(`A token exchange for ${shop} was requested but no test stubbed it (stubTokenExchange).`);
  if (body.requested_token_type === OFFLINE_TOKEN_TYPE) {
    return Response.json({ access_token: `offline-token-${shop}`, scope: DEFAULT_SCOPES, expires_in: 3600, refresh_token: `refresh-${shop}`, refresh_token_expires_in: 7_776_000 });
  }
  const user = staffOf(shop, String(body.subject_token));
  return Response.json({
    access_token: `online-token-${shop}-${user.id}`,
    scope: DEFAULT_SCOPES,
    expires_in: 86_399,
    associated_user_scope: DEFAULT_SCOPES,
    associated_user: {
      id: user.id,
      first_name: user.firstName,
      last_name: user.lastName,
      email: user.email,
      email_verified: true,
      account_owner: false,
      locale: "en",
      collaborator: false,
    },
  });
}
