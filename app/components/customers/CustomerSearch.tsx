import { Form } from "@remix-run/react";
import { Button, InlineStack, TextField } from "@shopify/polaris";
import { useState } from "react";

/**
 * Search by name or email: a GET Remix Form, so the query lives in the URL (shareable, back button works).
 * `keep` carries the other URL parameters (sort, and the embedded app's own, such as host and shop); paging
 * starts again from the first page.
 */
export function CustomerSearch({ search, keep }: { search: string | null; keep: [string, string][] }) {
  const [value, setValue] = useState(search ?? "");
  return (
    <Form method="get" role="search" aria-label="Search customers">
      {keep.map(([name, kept], i) => (
        <input key={`${name}-${i}`} type="hidden" name={name} value={kept} />
      ))}
      <InlineStack gap="200" blockAlign="end" wrap={false}>
        <div style={{ flex: 1 }}>
          <TextField
            label="Search customers"
            labelHidden
            name="q"
            type="search"
            value={value}
            onChange={setValue}
            placeholder="Search by name or email"
            autoComplete="off"
            clearButton
            onClearButtonClick={() => setValue("")}
          />
        </div>
        <Button submit>Search</Button>
      </InlineStack>
    </Form>
  );
}
