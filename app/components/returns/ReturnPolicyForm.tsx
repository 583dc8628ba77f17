import { Banner, BlockStack, Card, Checkbox, ChoiceList, FormLayout, List, Select, Text, TextField } from "@shopify/polaris";
import type { ReactNode } from "react";
import { currencySymbol } from "~/domain/money";
import { MAX_FINAL_SALE_TAGS, MAX_NOTE_LENGTH } from "~/domain/returns/policy";
import { finalSaleTagsError, LOCALE_OPTIONS, WINDOW_START_OPTIONS, type PolicyForm } from "~/routes/app.returns/policy-form";

const SHIPPING_CHOICES = [
  { label: "Free return shipping", value: "free" },
  { label: "A flat return shipping fee", value: "flat" },
  { label: "Paid by the customer", value: "customer" },
];

/** Error keys shown on a field; anything else goes to the banner at the top. */
const FIELD_KEYS = new Set([
  "windowDays",
  "windowStart",
  "shipping",
  "shipping.kind",
  "shipping.feeMinor",
  "restockingFeePercent",
  "exchanges",
  "storeCredit",
  "storeCredit.offered",
  "storeCredit.bonusPercent",
  "finalSaleTags",
  "conditions",
  "conditions.unused",
  "conditions.originalPackaging",
  "conditions.tagsAttached",
  "note",
  "publishLocale",
]);
export const isFieldKey = (key: string) => FIELD_KEYS.has(key) || /^finalSaleTags\.\d+$/.test(key);

interface ReturnPolicyFormProps {
  form: PolicyForm;
  currency: string;
  /** Live and server errors, keyed by the schema's dotted paths. */
  errors: Record<string, string>;
  onChange(patch: Partial<PolicyForm>): void;
  /** The merchant left a field: its errors show from now on. */
  onBlur(field: keyof PolicyForm): void;
  /** Buttons and messages under the fields. */
  footer: ReactNode;
}

/** Every setting of the return policy, labelled, with the domain's messages on the fields they belong to. */
export function ReturnPolicyForm({ form, currency, errors, onChange, onBlur, footer }: ReturnPolicyFormProps) {
  const other = Object.entries(errors).filter(([key]) => !isFieldKey(key) && key !== "publish");
  const finalSale = form.unlimited ? false : form.windowDays.trim() === "0";
  return (
    <Card>
      <BlockStack gap="500">
        <Text as="h2" variant="headingMd" id="return-policy-settings">
          Return policy settings
        </Text>
        {other.length ? (
          <Banner tone="critical" title="The policy has problems">
            <List>
              {other.map(([key, message]) => (
                <List.Item key={key}>{message}</List.Item>
              ))}
            </List>
          </Banner>
        ) : null}

        <BlockStack gap="300">
          <Text as="h3" variant="headingSm">
            Return window
          </Text>
          <FormLayout>
            <FormLayout.Group>
              <TextField
                label="Return window (days)"
                type="number"
                inputMode="numeric"
                min={0}
                max={365}
                value={form.windowDays}
                onChange={(windowDays) => onChange({ windowDays })}
                onBlur={() => onBlur("windowDays")}
                disabled={form.unlimited}
                helpText={finalSale ? "0 days: all sales are final, no returns." : "0 to 365 days. 0 means all sales are final."}
                error={form.unlimited ? undefined : errors.windowDays}
                autoComplete="off"
              />
              <Select
                label="Counted from"
                options={WINDOW_START_OPTIONS}
                value={form.windowStart}
                onChange={(windowStart) => onChange({ windowStart })}
                onBlur={() => onBlur("windowStart")}
                helpText="Orders not yet shipped or delivered keep the whole window until then."
                error={errors.windowStart}
              />
            </FormLayout.Group>
            <Checkbox
              label="No time limit"
              checked={form.unlimited}
              onChange={(unlimited) => onChange({ unlimited })}
              error={form.unlimited ? errors.windowDays : undefined}
            />
          </FormLayout>
        </BlockStack>

        <BlockStack gap="300">
          <Text as="h3" variant="headingSm">
            Costs and refunds
          </Text>
          <FormLayout>
            <ChoiceList
              title="Return shipping"
              choices={SHIPPING_CHOICES}
              selected={[form.shippingKind]}
              onChange={([shippingKind]) => onChange({ shippingKind: shippingKind ?? "customer" })}
              error={errors["shipping.kind"] ?? errors.shipping}
            />
            {form.shippingKind === "flat" ? (
              <TextField
                label={`Return shipping fee (${currency})`}
                inputMode="decimal"
                prefix={currencySymbol(currency)}
                value={form.shippingFee}
                onChange={(shippingFee) => onChange({ shippingFee })}
                onBlur={() => onBlur("shippingFee")}
                helpText="Charged once per return, however many items it holds."
                error={errors["shipping.feeMinor"]}
                autoComplete="off"
              />
            ) : null}
            <TextField
              label="Restocking fee"
              type="number"
              inputMode="numeric"
              min={0}
              max={100}
              suffix="%"
              value={form.restockingFeePercent}
              onChange={(restockingFeePercent) => onChange({ restockingFeePercent })}
              onBlur={() => onBlur("restockingFeePercent")}
              helpText="A share of the price of each returned item, kept from the refund. 0 for none."
              error={errors.restockingFeePercent}
              autoComplete="off"
            />
            <Checkbox
              label="Exchanges offered"
              checked={form.exchanges}
              onChange={(exchanges) => onChange({ exchanges })}
              error={errors.exchanges}
            />
            <Checkbox
              label="Store credit offered instead of a refund"
              checked={form.storeCreditOffered}
              onChange={(storeCreditOffered) => onChange({ storeCreditOffered })}
              error={errors["storeCredit.offered"] ?? errors.storeCredit}
            />
            {form.storeCreditOffered ? (
              <TextField
                label="Store credit bonus"
                type="number"
                inputMode="numeric"
                min={0}
                max={100}
                suffix="%"
                value={form.storeCreditBonusPercent}
                onChange={(storeCreditBonusPercent) => onChange({ storeCreditBonusPercent })}
                onBlur={() => onBlur("storeCreditBonusPercent")}
                helpText="Extra credit, as a share of the items' value, for choosing store credit. 0 for none."
                error={errors["storeCredit.bonusPercent"]}
                autoComplete="off"
              />
            ) : null}
          </FormLayout>
        </BlockStack>

        <BlockStack gap="300">
          <Text as="h3" variant="headingSm">
            Exceptions and conditions
          </Text>
          <FormLayout>
            <TextField
              label="Final-sale product tags"
              value={form.finalSaleTags}
              onChange={(finalSaleTags) => onChange({ finalSaleTags })}
              onBlur={() => onBlur("finalSaleTags")}
              placeholder="e.g. final-sale, clearance"
              helpText={`Products with any of these tags cannot be returned. Separate tags with commas; up to ${MAX_FINAL_SALE_TAGS}, compared without regard to case.`}
              error={finalSaleTagsError(form, errors)}
              autoComplete="off"
            />
            <BlockStack gap="100">
              <Text as="p">Returned items must be</Text>
              <Checkbox
                label="Unused"
                checked={form.conditionUnused}
                onChange={(conditionUnused) => onChange({ conditionUnused })}
                error={errors["conditions.unused"]}
              />
              <Checkbox
                label="In their original packaging"
                checked={form.conditionOriginalPackaging}
                onChange={(conditionOriginalPackaging) => onChange({ conditionOriginalPackaging })}
                error={errors["conditions.originalPackaging"]}
              />
              <Checkbox
                label="With their tags attached"
                checked={form.conditionTagsAttached}
                onChange={(conditionTagsAttached) => onChange({ conditionTagsAttached })}
                error={errors["conditions.tagsAttached"] ?? errors.conditions}
              />
            </BlockStack>
            <TextField
              label="Note to shoppers"
              value={form.note}
              onChange={(note) => onChange({ note })}
              onBlur={() => onBlur("note")}
              multiline={4}
              maxLength={MAX_NOTE_LENGTH}
              showCharacterCount
              helpText="Shown as written at the end of the policy, in every language."
              error={errors.note}
              autoComplete="off"
            />
            <Select
              label="Language of the published policy"
              options={LOCALE_OPTIONS}
              value={form.publishLocale}
              onChange={(publishLocale) => onChange({ publishLocale })}
              onBlur={() => onBlur("publishLocale")}
              helpText="Shopify keeps one refund policy text; the one-line summary is published in every language."
              error={errors.publishLocale}
            />
          </FormLayout>
        </BlockStack>
        {footer}
      </BlockStack>
    </Card>
  );
}
