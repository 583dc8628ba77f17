import {
  Banner,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  Checkbox,
  FormLayout,
  InlineStack,
  List,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useMemo, useState, type ReactNode } from "react";
import { currencySymbol } from "~/domain/money";
import { FormSaveBar } from "~/components/SaveBar";
import { useDirtyForm } from "~/components/use-dirty-form";
import { MAX_TIERS, newTierKey, sameProgramForm, TOUCHES, validateProgramForm, type ProgramForm, type TierForm } from "~/routes/app.loyalty/program-form";

const BASIS_OPTIONS = [
  { label: "Net spend", value: "spend" },
  { label: "Number of orders", value: "orders" },
];
const WINDOW_OPTIONS = [
  { label: "Lifetime", value: "lifetime" },
  { label: "Last 12 months (rolling)", value: "rolling12" },
];
const NEW_TIER_COLORS = ["#5C6AC4", "#47C1BF", "#DE3618", "#50B83C", "#F49342", "#9C6ADE", "#006FBB"];

const HEX = /^#[0-9a-fA-F]{6}$/;

/** A visible label with a hidden suffix, so each tier's fields have a distinct accessible name. */
function FieldLabel({ text, tier }: { text: string; tier: number }) {
  return (
    <>
      {text}
      <Text as="span" visuallyHidden>
        {` for tier ${tier}`}
      </Text>
    </>
  );
}

interface ProgramEditorProps {
  initial: ProgramForm;
  currency: string;
  saving: boolean;
  /** Field errors the server returned for the last save (same dotted paths as the live validation). */
  serverErrors: Record<string, string> | null;
  onSave(form: ProgramForm): void;
  /** Shown above the editor: save confirmations and the like. */
  notice?: ReactNode;
}

/**
 * The loyalty program editor: rule (basis × window), points rate and up to ten tiers. Every change is checked in
 * the browser with the domain's validateProgram (the same check the server runs on save); errors sit on the
 * fields once touched or after a save attempt (decision 030), and Save sends nothing while there are any. While the
 * program differs from the saved one, the save bar offers Save and Discard, and leaving the page asks first.
 */
export function ProgramEditor({ initial, currency, saving, serverErrors, onSave, notice }: ProgramEditorProps) {
  const editor = useDirtyForm(initial, sameProgramForm);
  const form = editor.value;
  const [edited, setEdited] = useState(false);
  const validation = useMemo(() => validateProgramForm(form, currency), [form, currency]);
  const fieldKeys = new Set(["basis", "window", "pointsPerUnit", "pending.maxDays"]);
  form.tiers.forEach((_, i) =>
    ["name", "threshold", "perks.text", "perks.discountPercent", "perks.freeShipping", "color"].forEach((f) => fieldKeys.add(`tiers.${i}.${f}`)),
  );
  const liveErrors = editor.shown(validation.ok ? {} : validation.errors, (key) => fieldKeys.has(key));
  // Server errors describe the form as it was saved; once the merchant edits, the live check takes over.
  const errors: Record<string, string> = edited || !serverErrors ? liveErrors : { ...serverErrors, ...liveErrors };
  const errorCount = Object.keys(errors).length;

  const update = (change: (draft: ProgramForm) => ProgramForm, touches: readonly string[]) => {
    editor.setValue((current) => change(current), touches);
    setEdited(true);
  };
  const updateTier = (index: number, patch: Partial<TierForm>, touches: readonly string[]) =>
    update((f) => ({ ...f, tiers: f.tiers.map((t, i) => (i === index ? { ...t, ...patch } : t)) }), touches);
  const moveTier = (index: number, by: -1 | 1) =>
    update((f) => {
      const tiers = [...f.tiers];
      const target = index + by;
      const [moved] = tiers.splice(index, 1);
      if (!moved || target < 0 || target > tiers.length) return f;
      tiers.splice(target, 0, moved);
      return { ...f, tiers };
    }, TOUCHES.tiers);
  const removeTier = (index: number) => update((f) => ({ ...f, tiers: f.tiers.filter((_, i) => i !== index) }), TOUCHES.tiers);
  const addTier = () =>
    update(
      (f) => ({
        ...f,
        tiers: [
          ...f.tiers,
          {
            key: newTierKey(),
            name: "",
            threshold: "",
            perkText: "",
            discountPercent: "",
            freeShipping: false,
            color: NEW_TIER_COLORS[f.tiers.length % NEW_TIER_COLORS.length] ?? "#5C6AC4",
          },
        ],
      }),
      // The new tier's empty fields show their errors once touched; the count of tiers is checked now.
      ["tiers"],
    );

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
  const blur = (touches: readonly string[]) => () => editor.touch(...touches);

  const otherErrors = Object.entries(errors).filter(([key]) => !fieldKeys.has(key));
  const spend = form.basis === "spend";
  const symbol = currencySymbol(currency);

  return (
    <BlockStack gap="500">
      {notice}
      <FormSaveBar id="loyalty-save-bar" dirty={editor.dirty} saving={saving} onSave={save} onDiscard={discard} />
      {editor.attempted && errorCount > 0 ? (
        <Banner tone="critical" title={`Fix ${errorCount === 1 ? "1 problem" : `${errorCount} problems`} before saving`}>
          <Text as="p">Nothing was saved. The fields with a problem are marked below.</Text>
        </Banner>
      ) : null}
      {otherErrors.length ? (
        <Banner tone="critical" title="The program has problems">
          <List>
            {otherErrors.map(([key, message]) => (
              <List.Item key={key}>{message}</List.Item>
            ))}
          </List>
        </Banner>
      ) : null}

      <Card>
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            Program rule
          </Text>
          <FormLayout>
            <FormLayout.Group>
              <Select
                label="Customers qualify by"
                options={BASIS_OPTIONS}
                value={form.basis}
                onChange={(value) => update((f) => ({ ...f, basis: value === "orders" ? "orders" : "spend" }), TOUCHES.basis)}
                onBlur={blur(TOUCHES.basis)}
                helpText="Net spend is orders minus refunds, without test or cancelled orders. Check the thresholds after changing this."
                error={errors.basis}
              />
              <Select
                label="Counted over"
                options={WINDOW_OPTIONS}
                value={form.window}
                onChange={(value) => update((f) => ({ ...f, window: value === "rolling12" ? "rolling12" : "lifetime" }), TOUCHES.window)}
                onBlur={blur(TOUCHES.window)}
                helpText="With a rolling window, customers move down when old orders age out (checked daily)."
                error={errors.window}
              />
            </FormLayout.Group>
            <TextField
              label="Points per whole unit of currency"
              type="number"
              inputMode="numeric"
              min={0}
              value={form.pointsPerUnit}
              onChange={(value) => update((f) => ({ ...f, pointsPerUnit: value }), TOUCHES.pointsPerUnit)}
              onBlur={blur(TOUCHES.pointsPerUnit)}
              suffix={`points per ${symbol}1`}
              helpText="Points are earned on each order's total and taken back proportionally on refunds."
              error={errors.pointsPerUnit}
              autoComplete="off"
            />
            <Checkbox
              label="Points wait out the return window"
              checked={form.pendingEnabled}
              onChange={(checked) => update((f) => ({ ...f, pendingEnabled: checked }), TOUCHES.pending)}
              helpText="On by default. Points earned on an order stay pending, and cannot be spent, until the order's return window closes under your return policy. A change applies to orders booked after you save; points already earned stay as they are."
            />
            <TextField
              label="Longest wait"
              type="number"
              inputMode="numeric"
              min={1}
              max={365}
              value={form.pendingMaxDays}
              disabled={!form.pendingEnabled}
              onChange={(value) => update((f) => ({ ...f, pendingMaxDays: value }), TOUCHES.pending)}
              onBlur={blur(TOUCHES.pending)}
              suffix="days after the order"
              helpText="When the return policy has no time limit, or an order is never shipped or delivered, its points become available this many days after the order at the latest."
              error={errors["pending.maxDays"]}
              autoComplete="off"
            />
          </FormLayout>
        </BlockStack>
      </Card>

      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Tiers
            </Text>
            <Text as="p" tone="subdued">
              {form.tiers.length} of {MAX_TIERS}, lowest first
            </Text>
          </InlineStack>
          {form.tiers.map((tier, i) => {
            const n = i + 1;
            const path = (field: string) => errors[`tiers.${i}.${field}`];
            return (
              <Box key={tier.key} padding="400" borderWidth="025" borderColor="border" borderRadius="200">
                <BlockStack gap="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <InlineStack gap="200" blockAlign="center">
                      <span
                        aria-hidden
                        style={{
                          display: "inline-block",
                          width: 14,
                          height: 14,
                          borderRadius: 7,
                          background: HEX.test(tier.color) ? tier.color : "transparent",
                          border: "1px solid var(--p-color-border)",
                        }}
                      />
                      <Text as="h3" variant="headingSm">
                        {`Tier ${n}${tier.name.trim() ? `: ${tier.name.trim()}` : ""}`}
                      </Text>
                    </InlineStack>
                    <ButtonGroup>
                      <Button size="slim" onClick={() => moveTier(i, -1)} disabled={i === 0} accessibilityLabel={`Move tier ${n} up`}>
                        ↑
                      </Button>
                      <Button
                        size="slim"
                        onClick={() => moveTier(i, 1)}
                        disabled={i === form.tiers.length - 1}
                        accessibilityLabel={`Move tier ${n} down`}
                      >
                        ↓
                      </Button>
                      <Button
                        size="slim"
                        tone="critical"
                        variant="plain"
                        onClick={() => removeTier(i)}
                        disabled={form.tiers.length <= 1}
                        accessibilityLabel={`Remove tier ${n}`}
                      >
                        Remove
                      </Button>
                    </ButtonGroup>
                  </InlineStack>
                  <FormLayout>
                    <FormLayout.Group>
                      <TextField
                        label={<FieldLabel text="Name" tier={n} />}
                        value={tier.name}
                        onChange={(value) => updateTier(i, { name: value }, TOUCHES.name)}
                        onBlur={blur(TOUCHES.name)}
                        error={path("name")}
                        maxLength={40}
                        autoComplete="off"
                      />
                      <TextField
                        label={<FieldLabel text={spend ? `Threshold (${currency})` : "Threshold (orders)"} tier={n} />}
                        value={tier.threshold}
                        onChange={(value) => updateTier(i, { threshold: value }, TOUCHES.threshold)}
                        onBlur={blur(TOUCHES.threshold)}
                        prefix={spend ? symbol : undefined}
                        suffix={spend ? undefined : "orders"}
                        inputMode={spend ? "decimal" : "numeric"}
                        helpText={i === 0 ? "Customers below the first threshold have no tier." : undefined}
                        error={path("threshold")}
                        autoComplete="off"
                      />
                      <TextField
                        label={<FieldLabel text="Colour" tier={n} />}
                        value={tier.color}
                        onChange={(value) => updateTier(i, { color: value }, TOUCHES.tier(i, "color"))}
                        onBlur={blur(TOUCHES.tier(i, "color"))}
                        error={path("color")}
                        placeholder="#C9A227"
                        autoComplete="off"
                        connectedRight={
                          <input
                            type="color"
                            aria-label={`Pick the colour of tier ${n}`}
                            value={HEX.test(tier.color) ? tier.color.toLowerCase() : "#000000"}
                            onChange={(event) => updateTier(i, { color: event.currentTarget.value.toUpperCase() }, TOUCHES.tier(i, "color"))}
                            style={{ width: 44, height: 36, padding: 2, border: "none", background: "transparent", cursor: "pointer" }}
                          />
                        }
                      />
                    </FormLayout.Group>
                    <TextField
                      label={<FieldLabel text="Perk" tier={n} />}
                      value={tier.perkText}
                      onChange={(value) => updateTier(i, { perkText: value }, TOUCHES.tier(i, "perks.text"))}
                      onBlur={blur(TOUCHES.tier(i, "perks.text"))}
                      error={path("perks.text")}
                      placeholder="e.g. 10% off every order and free shipping"
                      maxLength={200}
                      autoComplete="off"
                    />
                    <FormLayout.Group>
                      <TextField
                        label={<FieldLabel text="Discount (optional)" tier={n} />}
                        type="number"
                        inputMode="numeric"
                        min={1}
                        max={100}
                        suffix="%"
                        value={tier.discountPercent}
                        onChange={(value) => updateTier(i, { discountPercent: value }, TOUCHES.tier(i, "perks.discountPercent"))}
                        onBlur={blur(TOUCHES.tier(i, "perks.discountPercent"))}
                        error={path("perks.discountPercent")}
                        autoComplete="off"
                      />
                      <Box paddingBlockStart="600">
                        <Checkbox
                          label={<FieldLabel text="Free shipping" tier={n} />}
                          checked={tier.freeShipping}
                          onChange={(checked) => updateTier(i, { freeShipping: checked }, TOUCHES.tier(i, "perks.freeShipping"))}
                          error={path("perks.freeShipping")}
                        />
                      </Box>
                    </FormLayout.Group>
                  </FormLayout>
                </BlockStack>
              </Box>
            );
          })}
          <InlineStack align="space-between" blockAlign="center">
            <Button onClick={addTier} disabled={form.tiers.length >= MAX_TIERS}>
              Add tier
            </Button>
            <InlineStack gap="300" blockAlign="center">
              {errorCount > 0 ? (
                <Text as="span" tone="critical">
                  {errorCount === 1 ? "1 problem to fix" : `${errorCount} problems to fix`}
                </Text>
              ) : null}
              <Button variant="primary" onClick={save} loading={saving}>
                Save program
              </Button>
            </InlineStack>
          </InlineStack>
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
