import { useBlocker } from "@remix-run/react";
import { SaveBar as AppBridgeSaveBar } from "@shopify/app-bridge-react";
import { Box, Button, InlineStack, Modal, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";

interface FormSaveBarProps {
  /** Unique on the page: App Bridge finds its save bar by id. */
  id: string;
  /** The form differs from what is saved: show the bar and warn before leaving. */
  dirty: boolean;
  saving: boolean;
  /** The form's own save (the same action as its Save button). */
  onSave(): void;
  /** Back to the saved values. */
  onDiscard(): void;
}

type SaveBarApi = { show(id: string): Promise<void>; leaveConfirmation(): Promise<void> };

/**
 * App Bridge's save bar API when the page runs inside the Shopify admin with App Bridge loaded; null before the
 * page is hydrated (nothing is drawn on the server) and false without App Bridge (the demo, or its script failed).
 */
function useAppBridgeSaveBar(): SaveBarApi | false | null {
  const [api, setApi] = useState<SaveBarApi | false | null>(null);
  useEffect(() => {
    const saveBar = (window as { shopify?: { saveBar?: Partial<SaveBarApi> } }).shopify?.saveBar;
    const usable = typeof saveBar?.show === "function" && typeof saveBar.leaveConfirmation === "function" && customElements.get("ui-save-bar") !== undefined;
    setApi(usable ? (saveBar as SaveBarApi) : false);
  }, []);
  return api;
}

/**
 * The contextual save bar of a settings form (decision 030), one component for the Loyalty, Survey and Returns
 * forms. While the form is dirty:
 * - inside the Shopify admin, App Bridge's save bar (`ui-save-bar`) shows Save and Discard, and leaving the page
 *   through the app's own links asks App Bridge's leave confirmation first (App Bridge guards the admin's links);
 * - without App Bridge (the demo), a bar at the top of the window shows the same two buttons, and leaving through a
 *   link asks in a dialog;
 * - everywhere, closing or reloading the page asks the browser's "leave site?" question (`beforeunload`).
 * A navigation that stays on the page (filters, date ranges in the URL) is never held.
 */
export function FormSaveBar({ id, dirty, saving, onSave, onDiscard }: FormSaveBarProps) {
  const appBridge = useAppBridgeSaveBar();
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers ask only when a return value is set.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  // Saved or discarded while a leave was held (App Bridge's dialog was dismissed and never answered): drop it, so a
  // later save does not carry the merchant off to where they once meant to go.
  useEffect(() => {
    if (blocker.state === "blocked" && !dirty) blocker.reset();
  }, [blocker, dirty]);

  // Inside the admin: App Bridge asks (its dialog resolves when the merchant chooses to leave).
  useEffect(() => {
    if (blocker.state !== "blocked" || !appBridge || !dirty) return;
    let current = true;
    appBridge.leaveConfirmation().then(
      () => {
        if (current) blocker.proceed();
      },
      () => {
        if (current) blocker.reset();
      },
    );
    return () => {
      current = false;
    };
  }, [blocker, appBridge, dirty]);

  if (appBridge) {
    return (
      <AppBridgeSaveBar id={id} open={dirty}>
        <button variant="primary" onClick={onSave} loading={saving ? "" : undefined} disabled={saving}>
          Save
        </button>
        <button onClick={onDiscard} disabled={saving}>
          Discard
        </button>
      </AppBridgeSaveBar>
    );
  }
  if (appBridge === null) return null;

  const leaving = blocker.state === "blocked";
  return (
    <>
      {dirty ? (
        <div
          role="region"
          aria-label="Unsaved changes"
          data-save-bar={id}
          className="afterglow-save-bar"
          style={{ position: "fixed", top: 0, right: 0, zIndex: 510, background: "var(--p-color-bg-inverse)" }}
        >
          {/* Beside the demo's navigation column (Polaris Frame shows it from 48em), as the admin's bar sits beside its nav. */}
          <style>{".afterglow-save-bar{left:0}@media (min-width:48em){.afterglow-save-bar{left:var(--pg-navigation-width,15rem)}}"}</style>
          <Box paddingBlock="300" paddingInline="400">
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="p" variant="headingSm" tone="text-inverse">
                Unsaved changes
              </Text>
              <InlineStack gap="200">
                <Button onClick={onDiscard} disabled={saving}>
                  Discard
                </Button>
                <Button variant="primary" onClick={onSave} loading={saving}>
                  Save
                </Button>
              </InlineStack>
            </InlineStack>
          </Box>
        </div>
      ) : null}
      <Modal
        open={leaving}
        onClose={() => blocker.reset?.()}
        title="Leave page with unsaved changes?"
        primaryAction={{ content: "Leave page", destructive: true, onAction: () => blocker.proceed?.() }}
        secondaryActions={[{ content: "Stay", onAction: () => blocker.reset?.() }]}
      >
        <Modal.Section>
          <Text as="p">Leaving this page discards the changes you have not saved.</Text>
        </Modal.Section>
      </Modal>
    </>
  );
}
