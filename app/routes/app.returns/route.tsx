import { useFetcher, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Text } from "@shopify/polaris";
import { ReturnRulesBanner } from "~/components/returns/ReturnRulesBanner";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { AppPage } from "~/components/AppPage";
import { titleMeta } from "~/components/page-title";
import { useAppToast } from "~/components/use-app-toast";
import { useDirtyForm } from "~/components/use-dirty-form";
import { PolicyEditor, type PolicyIntent } from "~/components/returns/PolicyEditor";
import { PublicationCard } from "~/components/returns/PublicationCard";
import { ReturnFigures } from "~/components/returns/ReturnFigures";
import { VersionsCard } from "~/components/returns/VersionsCard";
import { returnsAction } from "./action.server";
import { returnsLoader } from "./loader.server";
import { defaultPolicyForm, formFromPolicy, samePolicyForm, type PolicyForm } from "./policy-form";

export const loader = returnsLoader;
export const meta = titleMeta("Returns");
export const action = returnsAction;

type SubmitResult =
  | { ok: true; intent: PolicyIntent; version: number; created: boolean; publishedAt: string | null }
  | { ok: false; intent: PolicyIntent | null; errors: Record<string, string>; version?: number; created?: boolean };

function resultMessage(result: SubmitResult): { message: string; error: boolean } {
  if (!result.ok) {
    if (result.errors.publish) {
      const saved = result.created ? `Version ${result.version} was saved. ` : "";
      return { message: `${saved}Not published: ${result.errors.publish}`, error: true };
    }
    return { message: "Nothing was saved. Fix the highlighted fields.", error: true };
  }
  if (result.intent === "publish") return { message: `Version ${result.version} published to Shopify`, error: false };
  return result.created
    ? { message: `Saved as version ${result.version}`, error: false }
    : { message: `No changes: version ${result.version} already has these settings`, error: false };
}

export default function ReturnsPage() {
  const page = useLoaderData<typeof loader>();
  const saver = useFetcher<SubmitResult>({ key: "returns-save" });
  const { show, notice, dismiss } = useAppToast();
  const initial = useMemo(() => (page.policy ? formFromPolicy(page.policy, page.currency) : defaultPolicyForm(page.currency)), [page.policy, page.currency]);
  const same = useCallback((a: PolicyForm, b: PolicyForm) => samePolicyForm(a, b, page.currency), [page.currency]);
  const editor = useDirtyForm(initial, same);

  const result = saver.state === "idle" ? saver.data : undefined;
  const announced = useRef<unknown>(null);
  useEffect(() => {
    if (!result || announced.current === result) return;
    announced.current = result;
    const { message, error } = resultMessage(result);
    show(message, { error });
  }, [result, show]);

  const busy = saver.state !== "idle" ? (((saver.json as { intent?: PolicyIntent } | undefined)?.intent ?? "save") as PolicyIntent) : null;
  const onSubmit = (intent: PolicyIntent, form: PolicyForm) => {
    dismiss();
    saver.submit({ intent, form: { ...form } }, { method: "post", encType: "application/json" });
  };
  const fieldErrors = result && !result.ok && !result.errors.publish ? result.errors : null;
  const { setValue } = editor;
  const restore = useCallback(
    (version: { version: number; policy: Parameters<typeof formFromPolicy>[0] }) => {
      setValue(formFromPolicy(version.policy, page.currency));
      show(`Version ${version.version} restored into the form. Save to keep it as a new version, or discard.`);
      document.getElementById("return-policy-settings")?.scrollIntoView({ block: "start" });
    },
    [setValue, page.currency, show],
  );
  // The sections below the editor change only with the loader's data: kept as they are while the merchant types or
  // saves, so a click on Save re-renders the editor alone (their tables measure their cells on every render).
  const published = useMemo(
    () => (
      <BlockStack gap="400">
        <PublicationCard publication={page.publication} latestVersion={page.latestVersion} timezone={page.timezone} />
        <VersionsCard
          versions={page.versions}
          versionBeforeOldest={page.versionBeforeOldest}
          onRestore={restore}
          total={page.totalVersions}
          publishedVersion={page.publication.version}
          currency={page.currency}
          timezone={page.timezone}
        />
      </BlockStack>
    ),
    [page.publication, page.latestVersion, page.timezone, page.versions, page.versionBeforeOldest, restore, page.totalVersions, page.currency],
  );
  const figures = useMemo(() => <ReturnFigures figures={page.figures} />, [page.figures]);

  return (
    <AppPage title="Returns" subtitle={page.latestVersion ? `Return policy version ${page.latestVersion}` : undefined}>
      {page.latestVersion === null ? (
        <Banner tone="info" title="You have not saved a return policy yet">
          <Text as="p">The form starts from common settings. Change what you need, then save or publish it.</Text>
        </Banner>
      ) : null}
      <ReturnRulesBanner
        differences={page.shopifyReturnRules.differences}
        consequence="Afterglow's window decides which orders it counts as returnable, when loyalty points stop waiting, and what the policy it publishes says."
      />
      <PolicyEditor
        // A save that created a version comes back in the loader: start the editor afresh from it.
        key={page.latestVersion ?? 0}
        editor={editor}
        saved={page.policy}
        currency={page.currency}
        busy={busy}
        serverErrors={fieldErrors}
        onSubmit={onSubmit}
        notice={notice ? <Banner tone={notice.error ? "critical" : "success"} title={notice.message} onDismiss={dismiss} /> : null}
      />
      {published}
      {figures}
    </AppPage>
  );
}
