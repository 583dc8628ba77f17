import { useAppBridge } from "@shopify/app-bridge-react";
import { useCallback, useState } from "react";

type ShopifyGlobal = ReturnType<typeof useAppBridge>;

/**
 * App Bridge when the page runs inside the Shopify admin, null otherwise. `useAppBridge()` is a plain accessor
 * of `window.shopify` (no React state) that throws when the App Bridge script is absent, as in the demo build.
 * On the server it returns a proxy that throws on use, so only call the result from effects and handlers.
 */
function useOptionalAppBridge(): ShopifyGlobal | null {
  try {
    return useAppBridge();
  } catch {
    return null;
  }
}

/**
 * Confirmations: an App Bridge toast when embedded; otherwise (demo, or App Bridge failed to load) the message
 * is kept in `notice` for the page to show as a Polaris Banner.
 */
export function useAppToast() {
  const shopify = useOptionalAppBridge();
  const [notice, setNotice] = useState<{ message: string; error: boolean } | null>(null);
  const show = useCallback(
    (message: string, options: { error?: boolean } = {}) => {
      try {
        if (shopify) {
          shopify.toast.show(message, { isError: options.error ?? false });
          return;
        }
      } catch {
        // fall through to the banner
      }
      setNotice({ message, error: options.error ?? false });
    },
    [shopify],
  );
  const dismiss = useCallback(() => setNotice(null), []);
  return { show, notice, dismiss };
}
