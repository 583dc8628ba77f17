import { BlockStack, List, Text } from "@shopify/polaris";
import type { PolicyDocument } from "~/domain/returns/policy-text";

/**
 * A policy document as shoppers would read it, rendered as React text (never as HTML): the merchant's note is shown
 * exactly as typed, line breaks kept, markup inert.
 */
export function PolicyText({ document, headingLevel = "h3", lang }: { document: PolicyDocument; headingLevel?: "h3" | "h4"; lang?: string }) {
  return (
    <div lang={lang}>
      <BlockStack gap="300">
        <Text as={headingLevel} variant="headingSm">
          {document.title}
        </Text>
        {document.sections.map((section, i) => (
          <BlockStack gap="100" key={`${i}-${section.heading}`}>
            <Text as={headingLevel === "h3" ? "h4" : "h5"} variant="headingXs">
              {section.heading}
            </Text>
            {section.paragraphs.map((paragraph, j) => (
              <Text as="p" key={j}>
                <span style={{ whiteSpace: "pre-line" }}>{paragraph}</span>
              </Text>
            ))}
            {section.bullets?.length ? (
              <List>
                {section.bullets.map((bullet) => (
                  <List.Item key={bullet}>{bullet}</List.Item>
                ))}
              </List>
            ) : null}
          </BlockStack>
        ))}
      </BlockStack>
    </div>
  );
}
