import type { PolicyDocument } from "~/domain/returns/policy-text";

/** A policy document as plain text (title, then each section): what the policy tests read its wording from. */
export function policyPlainText(doc: PolicyDocument): string {
  const blocks = [doc.title];
  for (const section of doc.sections) {
    blocks.push([section.heading, ...section.paragraphs].join("\n\n") + (section.bullets?.length ? `\n${section.bullets.map((b) => `- ${b}`).join("\n")}` : ""));
  }
  return blocks.join("\n\n");
}
