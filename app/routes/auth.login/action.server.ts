import type { ActionFunctionArgs } from "@remix-run/node";
import { login } from "~/shopify.server";
import { loginErrorMessage } from "./error.server";

/** POST /auth/login with the typed shop: on to Shopify's login, or the form again with the reason. */
export async function loginAction({ request }: ActionFunctionArgs) {
  return { error: loginErrorMessage(await login(request)) };
}
