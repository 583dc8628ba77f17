import { useFetcher } from "@remix-run/react";
import { BlockStack, Box, Button, ButtonGroup, Card, Collapsible, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import type { SetupGuideView, SetupStepId } from "~/services/setup-guide.server";

/** The guide as the loader sends it. */
type Guide = SetupGuideView;

interface StepText {
  title: string;
  body: (guide: Guide) => ReactNode;
  action: (guide: Guide) => ReactNode;
}

/** An admin link opened in the top frame (the editor, the same convention as app/components/OrderLink.tsx). */
function EditorButton({ url, primary, children }: { url: string; primary: boolean; children: string }) {
  return (
    <Button url={url} target="_top" variant={primary ? "primary" : "secondary"}>
      {children}
    </Button>
  );
}

/** Starts the import of past orders (the dashboard's `import-orders` action, as the Past orders card does). */
export function ImportOrdersButton({ label, primary }: { label: string; primary: boolean }) {
  const fetcher = useFetcher();
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="import-orders" />
      <Button submit variant={primary ? "primary" : "secondary"} loading={busy} disabled={busy}>
        {label}
      </Button>
    </fetcher.Form>
  );
}

const surfaceState = (answered: boolean) => (answered ? "first answer received" : "no answer yet");

const STEPS: Record<SetupStepId, StepText> = {
  "survey-blocks": {
    title: "Add the survey to your thank-you and order status pages",
    body: (g) => (
      <BlockStack gap="100">
        <Text as="p">
          The survey is a block you place in Shopify&apos;s checkout and accounts editor. Each button opens the editor on its
          page with the survey block ready to add; save there. This step ticks when both pages have sent a first answer.
        </Text>
        <Text as="p" tone="subdued">
          Thank-you page: {surfaceState(g.surfaces.thankYou)}. Order status page: {surfaceState(g.surfaces.orderStatus)}.
        </Text>
      </BlockStack>
    ),
    action: (g) => (
      <ButtonGroup>
        <EditorButton url={g.editorLinks.thankYou} primary={!g.surfaces.thankYou}>
          Add to thank-you page
        </EditorButton>
        <EditorButton url={g.editorLinks.orderStatus} primary={g.surfaces.thankYou && !g.surfaces.orderStatus}>
          Add to order status page
        </EditorButton>
      </ButtonGroup>
    ),
  },
  "publish-survey": {
    title: "Publish your survey",
    body: () => <Text as="p">Choose the questions shoppers see, then publish: the survey blocks show nothing until a survey is published.</Text>,
    action: () => (
      <Button url="/app/survey" variant="primary">
        Edit and publish the survey
      </Button>
    ),
  },
  loyalty: {
    title: "Review your loyalty program",
    body: () => <Text as="p">Set the tiers, what earns points and the perks of each tier. Saving the program puts customers in their tiers.</Text>,
    action: () => (
      <Button url="/app/loyalty" variant="primary">
        Review the loyalty program
      </Button>
    ),
  },
  "return-policy": {
    title: "Publish your return policy",
    body: () => <Text as="p">Set your return window and conditions; Afterglow writes the policy text and publishes it as your shop&apos;s refund policy.</Text>,
    action: () => (
      <Button url="/app/returns" variant="primary">
        Set up returns
      </Button>
    ),
  },
  "import-orders": {
    title: "Import your past orders",
    body: () => <Text as="p">Bring in the orders placed before Afterglow was installed, so tiers, points and figures start from your real history.</Text>,
    action: () => <ImportOrdersButton label="Start the import" primary />,
  },
};

/** A step's state for sighted users (a filled check or an empty circle); the text beside it is what assistive tech reads. */
function StepMark({ done }: { done: boolean }) {
  return (
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false" style={{ flex: "none" }}>
      {done ? (
        <>
          <circle cx="10" cy="10" r="9" fill="var(--p-color-bg-fill-success)" />
          <path d="M6 10.5l2.5 2.5L14 7.5" fill="none" stroke="var(--p-color-text-on-color, #fff)" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        </>
      ) : (
        <circle cx="10" cy="10" r="8.5" fill="none" stroke="var(--p-color-icon-secondary)" strokeWidth="1.5" strokeDasharray="3 2" />
      )}
    </svg>
  );
}

/**
 * What a new merchant does first, following Polaris' setup guide pattern: a card with the progress, one step open at
 * a time (its explanation and one main action), the whole list collapsible, and a way to dismiss it for the shop
 * (kept in the database; `ShowSetupGuide` brings it back). Steps tick from what the app sees, not from clicks.
 */
export function SetupGuide({ guide }: { guide: Guide }) {
  const fetcher = useFetcher();
  const [open, setOpen] = useState(true);
  const firstOpen = guide.steps.find((s) => !s.done)?.id ?? null;
  const [expanded, setExpanded] = useState<SetupStepId | null>(firstOpen);
  if (fetcher.state !== "idle" && fetcher.formData?.get("intent") === "dismiss-setup-guide") return null;
  const total = guide.steps.length;
  const allDone = guide.completed === total;
  return (
    <Card>
      <section aria-labelledby="setup-guide-title" data-testid="setup-guide">
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="start" gap="200">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd" id="setup-guide-title">
                Setup guide
              </Text>
              <Text as="p" tone="subdued">
                {allDone ? "Everything is set up. You can dismiss this guide." : "Do these once to start collecting answers and rewarding your customers."}
              </Text>
            </BlockStack>
            <InlineStack gap="100" wrap={false}>
              <fetcher.Form method="post">
                <input type="hidden" name="intent" value="dismiss-setup-guide" />
                <Button submit variant="tertiary">
                  Dismiss guide
                </Button>
              </fetcher.Form>
              <Button variant="tertiary" disclosure={open ? "up" : "down"} ariaExpanded={open} ariaControls="setup-guide-steps" onClick={() => setOpen((o) => !o)}>
                {open ? "Hide steps" : "Show steps"}
              </Button>
            </InlineStack>
          </InlineStack>
          <InlineStack gap="300" blockAlign="center" wrap={false}>
            <Text as="p" variant="bodySm" tone="subdued">
              <span data-testid="setup-guide-progress">
                {guide.completed} of {total} tasks complete
              </span>
            </Text>
            <div style={{ flex: 1, maxWidth: "12rem" }}>
              <ProgressBar progress={(guide.completed / total) * 100} size="small" tone="success" ariaLabelledBy="setup-guide-title" />
            </div>
          </InlineStack>
          <Collapsible id="setup-guide-steps" open={open} transition={false}>
            <ol style={{ listStyle: "none", margin: 0, padding: 0 }}>
              {guide.steps.map((step) => {
                const text = STEPS[step.id];
                const isOpen = expanded === step.id;
                return (
                  <li key={step.id} data-setup-step={step.id} data-done={step.done ? "true" : "false"}>
                    <Box padding="200" borderRadius="200" background={isOpen ? "bg-surface-secondary" : undefined}>
                      <BlockStack gap="200">
                        <InlineStack gap="200" blockAlign="center" wrap={false}>
                          <StepMark done={step.done} />
                          <Button variant="monochromePlain" textAlign="start" ariaExpanded={isOpen} ariaControls={`setup-step-${step.id}`} onClick={() => setExpanded(isOpen ? null : step.id)}>
                            {text.title}
                          </Button>
                          <Text as="span" visuallyHidden>
                            {step.done ? "(done)" : "(to do)"}
                          </Text>
                        </InlineStack>
                        {isOpen ? (
                          <div id={`setup-step-${step.id}`} style={{ paddingInlineStart: "28px" }}>
                            <BlockStack gap="300">
                              {text.body(guide)}
                              <InlineStack>{text.action(guide)}</InlineStack>
                            </BlockStack>
                          </div>
                        ) : null}
                      </BlockStack>
                    </Box>
                  </li>
                );
              })}
            </ol>
          </Collapsible>
        </BlockStack>
      </section>
    </Card>
  );
}

/** Where a dismissed guide comes back from. */
export function ShowSetupGuide({ completed, total }: { completed: number; total: number }) {
  const fetcher = useFetcher();
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="show-setup-guide" />
      <InlineStack gap="200" blockAlign="center">
        <Button submit variant="plain" loading={fetcher.state !== "idle"}>
          Show setup guide
        </Button>
        <Text as="span" tone="subdued" variant="bodySm">
          {completed} of {total} tasks complete
        </Text>
      </InlineStack>
    </fetcher.Form>
  );
}
