import { useFetcher, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useEffect, useMemo, useRef, useState } from "react";
import { AppPage } from "~/components/AppPage";
import { titleMeta } from "~/components/page-title";
import { FormSaveBar } from "~/components/SaveBar";
import { useAppToast } from "~/components/use-app-toast";
import { useDirtyForm } from "~/components/use-dirty-form";
import { ANSWER_WINDOW_KEY, AnswerWindowCard } from "~/components/survey/AnswerWindowCard";
import { SurveyAnswersList } from "~/components/survey/SurveyAnswersList";
import { sameSurvey, sameSurveyPageForm, type SurveyPageForm } from "~/components/survey/survey-form";
import { ResponseRateCard } from "~/components/survey/ResponseRateCard";
import { SurveyPreview } from "~/components/survey/SurveyPreview";
import { SurveySettingsForm } from "~/components/survey/SurveySettingsForm";
import { parseAnswerWindowDays } from "~/domain/survey/answer-integrity";
import { validateSurveyConfig } from "~/domain/survey/config";
import { formatDateTime } from "~/domain/dates";
import type { SurveyConfig } from "~/domain/survey/questions";
import { surveyAction } from "./action.server";
import { surveyLoader } from "./loader.server";

export const loader = surveyLoader;
export const meta = titleMeta("Survey");
export const action = surveyAction;

type SaveResult =
  | { ok: true; intent: "save" | "publish"; publishedAt: string | null }
  | { ok: false; intent: "save" | "publish" | null; errors: Record<string, string> };

export default function SurveyPage() {
  const { settings, answers, filters, timezone, currency, responseRate } = useLoaderData<typeof loader>();
  const saver = useFetcher<SaveResult>({ key: "survey-save" });
  const { show, notice, dismiss } = useAppToast();
  const navigation = useNavigation();
  const location = useLocation();

  // The draft and the answer window as saved are the form's saved value: after a save the loader brings them back and
  // the form restarts from them; revalidations that bring the same ones (the answer filters) keep the edits.
  const savedForm = useMemo<SurveyPageForm>(
    () => ({ config: settings.draft, answerWindowDays: String(settings.answerWindowDays) }),
    [settings.draft, settings.answerWindowDays],
  );
  const editor = useDirtyForm<SurveyPageForm>(savedForm, sameSurveyPageForm);
  const config = editor.value.config;
  const [edited, setEdited] = useState(false);
  const [locale, setLocale] = useState<string>(settings.draft.defaultLocale);
  const savedOptionIds = useMemo(
    () =>
      new Set([
        ...settings.draft.questions.attribution.options.map((o) => `attribution/${o.id}`),
        ...settings.draft.custom.flatMap((q) => q.options.map((o) => `${q.id}/${o.id}`)),
      ]),
    [settings.draft],
  );

  const validation = useMemo(() => validateSurveyConfig(config), [config]);
  const windowCheck = parseAnswerWindowDays(editor.value.answerWindowDays);
  const liveErrors = editor.shown({ ...(validation.ok ? {} : validation.errors), ...(windowCheck.ok ? {} : { [ANSWER_WINDOW_KEY]: windowCheck.error }) });
  const busy = saver.state !== "idle";
  const result = saver.state === "idle" ? saver.data : undefined;
  // Server errors describe the config as it was sent; once the merchant edits, the live check takes over.
  const errors = !edited && result && !result.ok ? { ...result.errors, ...liveErrors } : liveErrors;
  const fieldErrorCount = Object.keys(errors).filter((k) => k !== "publish").length;

  const announced = useRef<unknown>(null);
  useEffect(() => {
    if (!result || announced.current === result) return;
    announced.current = result;
    if (result.ok) show(result.intent === "publish" ? "Survey published" : "Saved");
    else if (result.errors.publish) show(`Publish failed: ${result.errors.publish}`, { error: true });
    else show("Fix the highlighted fields", { error: true });
  }, [result, show]);

  const submit = (intent: "save" | "publish") => {
    editor.attempt();
    if (!validation.ok || !windowCheck.ok) return;
    dismiss();
    setEdited(false);
    // SurveyConfig is plain JSON (its optional text entries are simply absent). The answer window is saved with it.
    const body = { intent, config: validation.config, answerWindowDays: windowCheck.days } as unknown as Parameters<typeof saver.submit>[0];
    saver.submit(body, { method: "post", encType: "application/json" });
  };
  const onChange = (change: (c: SurveyConfig) => SurveyConfig, touches: readonly string[]) => {
    editor.setValue((form) => ({ ...form, config: change(form.config) }), touches);
    setEdited(true);
  };
  const onWindowChange = (answerWindowDays: string) => {
    editor.setValue((form) => ({ ...form, answerWindowDays }), [ANSWER_WINDOW_KEY]);
    setEdited(true);
  };
  const discard = () => {
    editor.discard();
    setEdited(true);
  };

  const publishedAt = result?.ok && result.publishedAt ? result.publishedAt : settings.publishedAt;
  const differs = !sameSurvey(config, settings.published);
  const lastError = result && !result.ok ? result.errors.publish : edited ? null : settings.lastPublishError;

  const footer = (
    <BlockStack gap="300">
      {notice ? <Banner tone={notice.error ? "critical" : "success"} title={notice.message} onDismiss={dismiss} /> : null}
      {fieldErrorCount ? <Text as="p" tone="critical">{`Fix ${fieldErrorCount} problem${fieldErrorCount === 1 ? "" : "s"} before saving`}</Text> : null}
      <InlineStack gap="200" align="end">
        <Button onClick={() => submit("save")} disabled={busy} loading={busy && (saver.json as { intent?: string } | undefined)?.intent === "save"}>
          Save draft
        </Button>
        <Button variant="primary" onClick={() => submit("publish")} disabled={busy} loading={busy && (saver.json as { intent?: string } | undefined)?.intent === "publish"}>
          Publish
        </Button>
      </InlineStack>
    </BlockStack>
  );

  const nextPageSearch = answers.nextCursor ? withParams(location.search, { cursor: answers.nextCursor }) : null;
  const firstPageSearch = filters.cursor ? withParams(location.search, { cursor: null }) : null;
  const optionLabels = Object.fromEntries(
    settings.draft.questions.attribution.options.map((o) => [o.id, o.label[settings.draft.defaultLocale] ?? o.id]),
  );

  return (
    <AppPage title="Survey">
      <FormSaveBar id="survey-save-bar" dirty={editor.dirty} saving={busy} onSave={() => submit("save")} onDiscard={discard} />
      <InlineStack gap="200" blockAlign="center">
        {publishedAt ? <Badge tone="success">{`Published ${formatDateTime(publishedAt, timezone)}`}</Badge> : <Badge>Not published</Badge>}
        {publishedAt && differs ? <Badge tone="attention">Draft differs from published</Badge> : null}
      </InlineStack>
      {lastError ? (
        <Banner tone="critical" title="The last publish failed">
          <Text as="p">{lastError}</Text>
        </Banner>
      ) : null}
      <InlineGrid columns={{ xs: 1, md: ["twoThirds", "oneThird"] }} gap="400">
        <SurveySettingsForm
          config={config}
          locale={locale}
          savedOptionIds={savedOptionIds}
          shopName={settings.shopName}
          currency={currency}
          errors={errors}
          onLocaleChange={setLocale}
          onChange={onChange}
          onTouch={(touches) => editor.touch(...touches)}
          footer={footer}
        />
        <BlockStack gap="400">
          <SurveyPreview config={config} locale={locale} shopName={settings.shopName} currency={currency} />
          <AnswerWindowCard
            value={editor.value.answerWindowDays}
            error={errors[ANSWER_WINDOW_KEY]}
            onChange={onWindowChange}
            onTouch={() => editor.touch(ANSWER_WINDOW_KEY)}
          />
        </BlockStack>
      </InlineGrid>
      <ResponseRateCard {...responseRate} timezone={timezone} />
      <SurveyAnswersList
        key={location.search}
        rows={answers.rows}
        filters={filters}
        nextPageSearch={nextPageSearch}
        firstPageSearch={firstPageSearch}
        optionLabels={optionLabels}
        timezone={timezone}
        loading={navigation.state === "loading" && navigation.location.pathname === "/app/survey"}
      />
    </AppPage>
  );
}

function withParams(search: string, changes: Record<string, string | null>): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) params.delete(key);
    else params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
