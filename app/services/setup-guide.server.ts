import { env } from "~/env.server";
import { readSetupFacts, storeSetupGuideDismissed } from "~/models/setup-guide.server";

/** The survey extension's handle (extensions/post-purchase-survey/shopify.extension.toml) and its two block targets. */
const SURVEY_EXTENSION_HANDLE = "post-purchase-survey";
const SURVEY_TARGETS = { "thank-you": "purchase.thank-you.block.render", "order-status": "customer-account.order-status.block.render" } as const;
type Surface = keyof typeof SURVEY_TARGETS;

/**
 * A link into the checkout and accounts editor, opened on the page of `surface` (the thank-you page in checkout, the
 * order status page in customer accounts) with the Apps panel showing this app and its survey block offered for that
 * page's block target. The admin's own link scheme (`shopify://admin/...`, opened in the top frame) as for every link
 * out of the embedded app (app/components/OrderLink.tsx). Shopify documents deep links into this editor (`page`,
 * `context=apps`, the app's client id) in "Deep linking to a collection":
 * https://shopify.dev/docs/apps/build/customer-accounts/editor-extension-collections/editor-extension-collections-ux-guidelines#deep-linking-to-a-collection
 * and the app block parameters (`addAppBlockId=<client id>/<extension handle>`, `target=<extension target>`) as for
 * its theme editor deep links: https://shopify.dev/docs/apps/build/online-store/theme-app-extensions/configuration
 * Without a checkout profile id the editor opens the shop's published configuration.
 */
function surveyEditorLink(surface: Surface): string {
  const params = new URLSearchParams({
    page: surface,
    context: "apps",
    app: env.SHOPIFY_API_KEY,
    addAppBlockId: `${env.SHOPIFY_API_KEY}/${SURVEY_EXTENSION_HANDLE}`,
    target: SURVEY_TARGETS[surface],
  });
  return `shopify://admin/settings/checkout/editor?${params.toString()}`;
}

/** The guide's steps in the order a new merchant does them; the wording lives in the component. */
export type SetupStepId = "survey-blocks" | "publish-survey" | "loyalty" | "return-policy" | "import-orders";

export interface SetupGuideView {
  /** The merchant hid the guide (kept per shop until they show it again). */
  dismissed: boolean;
  steps: { id: SetupStepId; done: boolean }[];
  completed: number;
  /** Which surfaces have sent a first answer: the survey-blocks step is done when both have. */
  surfaces: { thankYou: boolean; orderStatus: boolean };
  /** The checkout and accounts editor, opened on each page with the survey block offered. */
  editorLinks: { thankYou: string; orderStatus: string };
}

/**
 * The dashboard's setup guide for `shop`: each step is done when the app can see its result (a first answer from
 * each survey surface, a published survey, a saved loyalty program, a published return policy, a finished import),
 * whatever the merchant clicked; read in one statement (app/models/setup-guide.server.ts).
 */
export async function loadSetupGuide(shop: string): Promise<SetupGuideView> {
  const facts = await readSetupFacts(shop);
  const steps: SetupGuideView["steps"] = [
    { id: "survey-blocks", done: facts.thankYouAnswered && facts.orderStatusAnswered },
    { id: "publish-survey", done: facts.surveyPublished },
    { id: "loyalty", done: facts.loyaltySaved },
    { id: "return-policy", done: facts.policyPublished },
    { id: "import-orders", done: facts.importFinished },
  ];
  return {
    dismissed: facts.dismissedAt !== null,
    steps,
    completed: steps.filter((s) => s.done).length,
    surfaces: { thankYou: facts.thankYouAnswered, orderStatus: facts.orderStatusAnswered },
    editorLinks: { thankYou: surveyEditorLink("thank-you"), orderStatus: surveyEditorLink("order-status") },
  };
}

/** Hides the guide for the shop, or shows it again. */
export async function setSetupGuideDismissed(shop: string, dismissed: boolean): Promise<{ dismissed: boolean }> {
  const now = new Date();
  await storeSetupGuideDismissed(shop, dismissed ? now : null, now);
  return { dismissed };
}
