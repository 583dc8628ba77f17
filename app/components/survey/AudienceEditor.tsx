import { BlockStack, Box, Button, ChoiceList, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useId, useState } from "react";
import type { Audience, CustomerRule } from "~/domain/survey/audience";
import { SUPPORTED_LOCALES } from "~/domain/survey/questions";
import { amountText, audienceSummary, CUSTOMER_OPTIONS, parseAmountText, withRule } from "./audience-form";
import { Hidden } from "./HiddenSuffix";
import { LOCALE_NAMES } from "./survey-strings";

/** What a bound typed as something other than an amount stores: out of range, so the page's validation holds the save. */
const NOT_AN_AMOUNT = -1;

interface AudienceEditorProps {
  audience: Audience | undefined;
  /** The shop's currency: a new order value range is written in it. */
  currency: string;
  /** Distinguishes this question's controls from the others' for assistive technology (" for question 2"). */
  scope: string;
  /** The question's error path ("questions.attribution", "custom.1"): errors come at `<path>.audience…`. */
  path: string;
  errors: Record<string, string>;
  onChange(audience: Audience | undefined, touches: readonly string[]): void;
}

/**
 * Who a question is asked of (targeting, decision 045): every customer, first orders or returning customers; an
 * order value range; some languages. Shown as one line, opened to change it.
 */
export function AudienceEditor({ audience, currency, scope, path, errors, onChange }: AudienceEditorProps) {
  const id = useId();
  const errorOf = (rule: string) => errors[`${path}.audience.${rule}`];
  const hasError = Boolean(errors[`${path}.audience`] || errorOf("customer") || errorOf("orderValue") || errorOf("locales"));
  const [open, setOpen] = useState(false);
  const range = audience?.orderValue;
  const rangeCurrency = range?.currency ?? currency;
  const touches = [`${path}.audience`, `${path}.audience.customer`, `${path}.audience.orderValue`, `${path}.audience.locales`];
  const set = <K extends keyof Audience>(key: K, value: Audience[K] | undefined) => onChange(withRule(audience, key, value), touches);

  // The bounds' text as typed ("50.", "1,000"), kept while it reads as the stored value; replaced when the value
  // changes from elsewhere (discarded edits, another language's view of the same form).
  const [minText, setMinText] = useState(amountText(range?.minMinor, rangeCurrency));
  const [maxText, setMaxText] = useState(amountText(range?.maxMinor, rangeCurrency));
  useEffect(() => {
    const sync = (text: string, stored: number | undefined, setText: (t: string) => void) => {
      if (stored !== NOT_AN_AMOUNT && parseAmountText(text, rangeCurrency) !== stored) setText(amountText(stored, rangeCurrency));
    };
    sync(minText, range?.minMinor, setMinText);
    sync(maxText, range?.maxMinor, setMaxText);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a change of the stored bounds resets the text
  }, [range?.minMinor, range?.maxMinor, rangeCurrency]);

  const setBound = (end: "minMinor" | "maxMinor", text: string) => {
    (end === "minMinor" ? setMinText : setMaxText)(text);
    const parsed = parseAmountText(text, rangeCurrency);
    const bounds = { minMinor: range?.minMinor, maxMinor: range?.maxMinor, [end]: parsed === null ? NOT_AN_AMOUNT : parsed };
    const next = {
      currency: rangeCurrency,
      ...(bounds.minMinor !== undefined ? { minMinor: bounds.minMinor } : {}),
      ...(bounds.maxMinor !== undefined ? { maxMinor: bounds.maxMinor } : {}),
    };
    set("orderValue", next.minMinor === undefined && next.maxMinor === undefined ? undefined : next);
  };
  const boundError = (text: string) => (text.trim() && parseAmountText(text, rangeCurrency) === null ? `Enter an amount in ${rangeCurrency}, such as 50 or 49.99` : undefined);
  const valueError = boundError(minText) ?? boundError(maxText) ?? errorOf("orderValue");
  const shown = open || hasError;

  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Text as="p" tone="subdued">
          Asked of: <Text as="span" fontWeight="semibold">{audienceSummary(audience)}</Text>
        </Text>
        <Button variant="plain" ariaExpanded={shown} ariaControls={id} accessibilityLabel={`Change who is asked${scope}`} onClick={() => setOpen(!shown)}>
          {shown ? "Done" : "Change"}
        </Button>
      </InlineStack>
      {shown ? (
        <div id={id}>
          <Box padding="300" background="bg-surface-secondary" borderRadius="200">
            <BlockStack gap="300">
              {errors[`${path}.audience`] ? <Text as="p" tone="critical">{errors[`${path}.audience`]}</Text> : null}
              <Select
                label={<Hidden text="Customers" suffix={scope} />}
                options={CUSTOMER_OPTIONS}
                value={audience?.customer ?? ""}
                error={errorOf("customer")}
                helpText="From Afterglow's own orders for the signed-in customer."
                onChange={(value) => set("customer", (value || undefined) as CustomerRule | undefined)}
              />
              <InlineStack gap="200" wrap={false}>
                <TextField
                  label={<Hidden text={`Order value from (${rangeCurrency})`} suffix={scope} />}
                  value={minText}
                  inputMode="decimal"
                  autoComplete="off"
                  error={boundError(minText) ? valueError : undefined}
                  onChange={(text) => setBound("minMinor", text)}
                />
                <TextField
                  label={<Hidden text={`Order value up to (${rangeCurrency})`} suffix={scope} />}
                  value={maxText}
                  inputMode="decimal"
                  autoComplete="off"
                  error={boundError(minText) ? undefined : valueError}
                  onChange={(text) => setBound("maxMinor", text)}
                />
              </InlineStack>
              <Text as="p" variant="bodySm" tone="subdued">
                {`The order's total as the thank-you or order status page shows it, bounds included. Orders in another currency than ${rangeCurrency} are not asked this question.`}
              </Text>
              <ChoiceList
                title={<Hidden text="Shopper languages" suffix={scope} />}
                allowMultiple
                choices={SUPPORTED_LOCALES.map((value) => ({ value, label: LOCALE_NAMES[value] ?? value }))}
                selected={audience?.locales ?? []}
                error={errorOf("locales")}
                onChange={(locales) => set("locales", locales.length ? locales : undefined)}
              />
              <Text as="p" variant="bodySm" tone="subdued">None chosen: every language.</Text>
            </BlockStack>
          </Box>
        </div>
      ) : null}
    </BlockStack>
  );
}
