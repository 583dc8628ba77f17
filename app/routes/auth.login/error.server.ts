import { LoginErrorType } from "@shopify/shopify-app-remix/server";

interface LoginErrors {
  shop?: LoginErrorType;
}

export function loginErrorMessage(errors: LoginErrors | undefined): string | undefined {
  if (errors?.shop === LoginErrorType.MissingShop) return "Please enter your shop domain to log in";
  if (errors?.shop === LoginErrorType.InvalidShop) return "Please enter a valid shop domain to log in";
  return undefined;
}
