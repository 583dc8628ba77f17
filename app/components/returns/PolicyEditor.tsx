import { Badge, BlockStack, Button, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useMemo, useRef, useState, type ReactNode } from "react";
import { storedPolicyText } from "~/domain/returns/stored";
import { DEFAULT_RETURN_POLICY, RETURN_LOCALES, type ReturnLocale, type ReturnPolicy } from "~/domain/returns/policy";
import { validatePolicyForm, type PolicyForm } from "~/routes/app.returns/policy-form";
import { PolicyPreview } from "./PolicyPreview";
import { ReturnPolicyForm } from "./ReturnPolicyForm";

export type PolicyIntent = "save" | "publish";

interface PolicyEditorProps {
  initial: PolicyForm;
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
 * check the server runs too); errors sit on their fields, and Save / Publish send nothing while there are any.
 */
export function PolicyEditor({ initial, saved, currency, busy, serverErrors, onSubmit, notice }: PolicyEditorProps) {
  const [form, setForm] = useState<PolicyForm>(initial);
  const [edited, setEdited] = useState(false);
  const [locale, setLocale] = useState<ReturnLocale>(
    (RETURN_LOCALES as readonly string[]).includes(initial.publishLocale) ? (initial.publishLocale as ReturnLocale) : "en",
  );
  const validation = useMemo(() => validatePolicyForm(form, currency), [form, currency]);
  const liveErrors = validation.ok ? {} : validation.errors;
  // Server errors describe the form as it was sent; once the merchant edits, the live check takes over.
  const errors = edited || !serverErrors ? liveErrors : { ...serverErrors, ...liveErrors };
  const errorCount = Object.keys(errors).filter((key) => key !== "publish").length;

  const lastValid = useRef<ReturnPolicy>(saved ?? DEFAULT_RETURN_POLICY);
  if (validation.ok) lastValid.current = validation.policy;
  const unsaved = validation.ok && (saved === null || storedPolicyText(validation.policy) !== storedPolicyText(saved));

  const onChange = (patch: Partial<PolicyForm>) => {
    setForm((current) => ({ ...current, ...patch }));
    setEdited(true);
  };
  const submit = (intent: PolicyIntent) => {
    if (!validation.ok) return;
    setEdited(false);
    onSubmit(intent, form);
  };

  const footer = (
    <BlockStack gap="300">
      {notice}
      {errorCount ? (
        <Text as="p" tone="critical">
          {`Fix ${errorCount === 1 ? "1 problem" : `${errorCount} problems`} before saving`}
        </Text>
      ) : null}
      <InlineStack gap="200" align="end" blockAlign="center">
        {unsaved ? <Badge tone="attention">Unsaved changes</Badge> : null}
        <Button onClick={() => submit("save")} disabled={!validation.ok || busy !== null} loading={busy === "save"}>
          Save
        </Button>
        <Button variant="primary" onClick={() => submit("publish")} disabled={!validation.ok || busy !== null} loading={busy === "publish"}>
          Publish to Shopify
        </Button>
      </InlineStack>
      <Text as="p" variant="bodySm" tone="subdued">
        Save keeps a new version (orders placed from now on are judged by it). Publish to Shopify saves, then writes the text as your shop&apos;s
        refund policy and the summary for shoppers.
      </Text>
    </BlockStack>
  );

  return (
    <InlineGrid columns={{ xs: 1, md: ["twoThirds", "oneThird"] }} gap="400">
      <ReturnPolicyForm form={form} currency={currency} errors={errors} onChange={onChange} footer={footer} />
      <div>
        <PolicyPreview policy={lastValid.current} stale={!validation.ok} currency={currency} locale={locale} onLocaleChange={setLocale} />
      </div>
    </InlineGrid>
  );
}
