import { Banner, BlockStack, Box, Button, ButtonGroup, Card, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { FormSaveBar } from "~/components/SaveBar";
import { useDirtyForm } from "~/components/use-dirty-form";
import { sameRewardForm, validateRewardForm, type RewardForm } from "~/domain/loyalty/rewards";
import { currencySymbol } from "~/domain/money";

const KIND_OPTIONS = [
  { label: "Amount off the order", value: "fixed_amount" },
  { label: "Percentage off the order", value: "percentage" },
  { label: "Free shipping", value: "free_shipping" },
];

const FIELD_KEYS = new Set(["title", "kind", "pointsCost", "amount", "percent", "minimum", "validityDays"]);

interface RewardEditorProps {
  /** The reward being edited, or the empty form of a new one. */
  initial: RewardForm;
  isNew: boolean;
  currency: string;
  saving: boolean;
  /** Field errors the server returned for the last save. */
  serverErrors: Record<string, string> | null;
  onSave(form: RewardForm): void;
  onClose(): void;
}

/**
 * Adds or edits one reward. Every change is checked in the browser with the domain's validateRewardForm (the check the
 * server runs on save); a field's error shows once it was touched or a save was tried (decision 030). While the form
 * differs from the saved reward, the save bar offers Save and Discard.
 */
export function RewardEditor({ initial, isNew, currency, saving, serverErrors, onSave, onClose }: RewardEditorProps) {
  const editor = useDirtyForm(initial, sameRewardForm);
  const form = editor.value;
  const [edited, setEdited] = useState(false);
  const validation = useMemo(() => validateRewardForm(form, currency), [form, currency]);
  const live = editor.shown(validation.ok ? {} : (validation.errors as Record<string, string>), (key) => FIELD_KEYS.has(key));
  const errors: Record<string, string> = edited || !serverErrors ? live : { ...serverErrors, ...live };
  const symbol = currencySymbol(currency);

  const set = <K extends keyof RewardForm>(key: K, value: RewardForm[K]) => {
    editor.setValue((current) => ({ ...current, [key]: value }), [key]);
    setEdited(true);
  };
  const blur = (key: keyof RewardForm) => () => editor.touch(key);
  const save = () => {
    editor.attempt();
    if (!validation.ok) return;
    setEdited(false);
    onSave(form);
  };
  const discard = () => {
    editor.discard();
    setEdited(true);
  };
  const errorCount = Object.keys(errors).length;

  return (
    <Card>
      <BlockStack gap="400">
        <FormSaveBar id="reward-save-bar" dirty={editor.dirty} saving={saving} onSave={save} onDiscard={discard} />
        <Text as="h3" variant="headingSm">
          {isNew ? "New reward" : `Edit ${initial.title}`}
        </Text>
        {editor.attempted && errorCount > 0 ? (
          <Banner tone="critical" title={`Fix ${errorCount === 1 ? "1 problem" : `${errorCount} problems`} before saving`}>
            <Text as="p">Nothing was saved. The fields with a problem are marked below.</Text>
          </Banner>
        ) : null}
        {errors.reward ? <Banner tone="critical" title={errors.reward} /> : null}
        <FormLayout>
          <TextField
            label="Name shoppers see"
            value={form.title}
            onChange={(v) => set("title", v)}
            onBlur={blur("title")}
            error={errors.title}
            autoComplete="off"
            helpText="Also the discount's title in Shopify, followed by the code."
          />
          <FormLayout.Group>
            <Select label="Reward" options={KIND_OPTIONS} value={form.kind} onChange={(v) => set("kind", v)} error={errors.kind} />
            <TextField
              label="Points cost"
              type="number"
              min={1}
              value={form.pointsCost}
              onChange={(v) => set("pointsCost", v)}
              onBlur={blur("pointsCost")}
              error={errors.pointsCost}
              suffix="points"
              autoComplete="off"
            />
          </FormLayout.Group>
          <FormLayout.Group>
            {form.kind === "fixed_amount" ? (
              <TextField
                label="Amount off"
                type="text"
                inputMode="decimal"
                prefix={symbol}
                value={form.amount}
                onChange={(v) => set("amount", v)}
                onBlur={blur("amount")}
                error={errors.amount}
                autoComplete="off"
              />
            ) : null}
            {form.kind === "percentage" ? (
              <TextField
                label="Percentage off"
                type="number"
                min={1}
                max={100}
                suffix="%"
                value={form.percent}
                onChange={(v) => set("percent", v)}
                onBlur={blur("percent")}
                error={errors.percent}
                autoComplete="off"
              />
            ) : null}
            <TextField
              label="Minimum order (optional)"
              type="text"
              inputMode="decimal"
              prefix={symbol}
              value={form.minimum}
              onChange={(v) => set("minimum", v)}
              onBlur={blur("minimum")}
              error={errors.minimum}
              autoComplete="off"
            />
            <TextField
              label="Code valid for"
              type="number"
              min={1}
              max={365}
              suffix="days"
              value={form.validityDays}
              onChange={(v) => set("validityDays", v)}
              onBlur={blur("validityDays")}
              error={errors.validityDays}
              autoComplete="off"
            />
          </FormLayout.Group>
          <BlockStack gap="100">
            <Text as="p" variant="bodyMd">
              The code combines with
            </Text>
            <Checkbox label="Order discounts (including tier perks)" checked={form.combinesWithOrder} onChange={(v) => set("combinesWithOrder", v)} />
            <Checkbox label="Product discounts" checked={form.combinesWithProduct} onChange={(v) => set("combinesWithProduct", v)} />
            <Checkbox
              label="Shipping discounts"
              checked={form.kind === "free_shipping" ? false : form.combinesWithShipping}
              disabled={form.kind === "free_shipping"}
              helpText={form.kind === "free_shipping" ? "A free shipping code never combines with another shipping discount." : undefined}
              onChange={(v) => set("combinesWithShipping", v)}
            />
          </BlockStack>
          <Checkbox label="Offer this reward to shoppers" checked={form.enabled} onChange={(v) => set("enabled", v)} />
        </FormLayout>
        <Box>
          <InlineStack align="end">
            <ButtonGroup>
              <Button onClick={onClose} disabled={saving}>
                Cancel
              </Button>
              <Button variant="primary" onClick={save} loading={saving}>
                Save reward
              </Button>
            </ButtonGroup>
          </InlineStack>
        </Box>
      </BlockStack>
    </Card>
  );
}
