import { Text } from "@shopify/polaris";

/** A visible label with a hidden suffix, so each repeated field has a distinct accessible name (" for question 2"). */
export function Hidden({ text, suffix }: { text: string; suffix: string }) {
  return (
    <>
      {text}
      <Text as="span" visuallyHidden>{suffix}</Text>
    </>
  );
}
