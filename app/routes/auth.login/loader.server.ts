import type { LoaderFunctionArgs } from "@remix-run/node";
import { env } from "~/env.server";
import { login } from "~/shopify.server";
import { loginErrorMessage } from "./error.server";

/** GET /auth/login: the form, or Shopify's login when the query names a shop. */
export async function loginLoader({ request }: LoaderFunctionArgs) {
  return { apiKey: env.SHOPIFY_API_KEY, error: loginErrorMessage(await login(request)) };
}
