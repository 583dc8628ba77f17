import { BlockStack, Button, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useMemo, useRef, useState, type ReactNode } from "react";
import { FormSaveBar } from "~/components/SaveBar";
import type { DirtyForm } from "~/components/use-dirty-form";
import { DEFAULT_RETURN_POLICY, RETURN_LOCALES, type ReturnLocale, type ReturnPolicy } from "~/domain/returns/policy";
import { FIELD_ERROR_KEYS, validatePolicyForm, type PolicyForm } from "~/routes/app.returns/policy-form";
import { PolicyPreview } from "./PolicyPreview";
import { isFieldKey, ReturnPolicyForm } from "./ReturnPolicyForm";

export type PolicyIntent = "save" | "publish";

interface PolicyEditorProps {
  /** The form's state, owned by the page (a version can be restored into it). */
  editor: DirtyForm<PolicyForm>;
  /** The newest saved version's settings; null before the first save. */
  saved: ReturnPolicy | null;
  currency: string;
  /** The intent being submitted, or null. */
  busy: PolicyIntent | null;
  /** Field errors of the last submission (same dotted paths as the live validation). */
  serverErrors: Record<string, string> | null;
  onSubmit(intent: PolicyIntent, form: PolicyForm): void;
  /** Confirmations and failures, shown above the buttons. */
  notice?: ReactNode;
}

/**
 * The settings form beside a live preview. Every change is checked in the browser with the domain's validator (the
 * check the server runs too); a field's error shows once the field was touched or a save was tried (decision 030),
 * and Save / Publish send nothing while there are any. While the form differs from the saved version, the save bar
 * offers Save and Discard, and leaving the page asks first.
 */
export function PolicyEditor({ editor, saved, currency, busy, serverErrors, onSubmit, notice }: PolicyEditorProps) {
  const form = editor.value;
  const [edited, setEdited] = useState(false);
  const [locale, setLocale] = useState<ReturnLocale>(
    (RETURN_LOCALES as readonly string[]).includes(form.publishLocale) ? (form.publishLocale as ReturnLocale) : "en",
  );
  const validation = useMemo(() => validatePolicyForm(form, currency), [form, currency]);
  const liveErrors = editor.shown(validation.ok ? {} : validation.errors, isFieldKey);
  // Server errors describe the form as it was sent; once the merchant edits, the live check takes over.
  const errors = edited || !serverErrors ? liveErrors : { ...serverErrors, ...liveErrors };
  const errorCount = Object.keys(errors).filter((key) => key !== "publish").length;

  const lastValid = useRef<ReturnPolicy>(saved ?? DEFAULT_RETURN_POLICY);
  if (validation.ok) lastValid.current = validation.policy;

  const onChange = (patch: Partial<PolicyForm>) => {
    const keys = (Object.keys(patch) as (keyof PolicyForm)[]).flatMap((field) => FIELD_ERROR_KEYS[field]);
    editor.setValue((current) => ({ ...current, ...patch }), keys);
    setEdited(true);
  };
  const onBlur = (field: keyof PolicyForm) => editor.touch(...FIELD_ERROR_KEYS[field]);
  const submit = (intent: PolicyIntent) => {
    editor.attempt();
    if (!validation.ok) return;
    setEdited(false);
    onSubmit(intent, form);
  };
  const discard = () => {
    editor.discard();
    setEdited(true);
  };

  const footer = (
    <BlockStack gap="300">
      {notice}
      {errorCount ? (
        <Text as="p" tone="critical">
          {`Fix ${errorCount === 1 ? "1 problem" : `${errorCount} problems`} before saving`}
        </Text>
      ) : null}
      <div data-testid="policy-actions">
        <InlineStack gap="200" align="end" blockAlign="center">
          <Button onClick={() => submit("save")} disabled={busy !== null} loading={busy === "save"}>
            Save
          </Button>
          <Button variant="primary" onClick={() => submit("publish")} disabled={busy !== null} loading={busy === "publish"}>
            Publish to Shopify
          </Button>
        </InlineStack>
      </div>
      <Text as="p" variant="bodySm" tone="subdued">
        Save keeps a new version (orders placed from now on are judged by it). Publish to Shopify saves, then writes the text as your shop&apos;s
        refund policy and the summary for shoppers.
      </Text>
    </BlockStack>
  );

  return (
    <>
      <FormSaveBar id="returns-save-bar" dirty={editor.dirty} saving={busy !== null} onSave={() => submit("save")} onDiscard={discard} />
      <InlineGrid columns={{ xs: 1, md: ["twoThirds", "oneThird"] }} gap="400">
        <ReturnPolicyForm form={form} currency={currency} errors={errors} onChange={onChange} onBlur={onBlur} footer={footer} />
        <div>
          <PolicyPreview policy={lastValid.current} stale={!validation.ok} currency={currency} locale={locale} onLocaleChange={setLocale} />
        </div>
      </InlineGrid>
    </>
  );
}
