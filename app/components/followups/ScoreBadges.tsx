import { Badge, InlineStack } from "@shopify/polaris";
import type { ScoreQuestion as Question } from "~/domain/survey/score-bands";
import { scoreTone } from "../score-tone";

const LABELS: Record<Question, string> = { nps: "NPS", csat: "CSAT", ces: "CES" };

/** The answer's scores as coloured badges ("NPS 3"), coloured by how happy they are. */
export function ScoreBadges({ scores }: { scores: Record<Question, number | null> }) {
  const answered = (["nps", "csat", "ces"] as const).filter((q) => scores[q] !== null);
  if (answered.length === 0) return null;
  return (
    <InlineStack gap="100">
      {answered.map((q) => {
        const score = scores[q] ?? 0;
        return (
          <Badge key={q} tone={scoreTone(q, score)}>
            {`${LABELS[q]} ${score}`}
          </Badge>
        );
      })}
    </InlineStack>
  );
}
