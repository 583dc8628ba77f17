import type { SurveyAnswers } from "./answer";
import { enabledQuestions, type SurveyConfig } from "./questions";

/**
 * The one-question-at-a-time flow, as a pure state machine. The extension renders it with Polaris web
 * components; the admin preview renders the very same states with Polaris React.
 */
export type FlowState =
  /** `question`: the question's key (a built-in type's name or a custom question's id, `surveyQuestions`). */
  | { step: "question"; question: string; index: number; total: number; answers: SurveyAnswers }
  | { step: "submitting"; answers: SurveyAnswers }
  | { step: "error"; answers: SurveyAnswers }
  | { step: "done"; answers: SurveyAnswers }
  | { step: "skipped" }
  | { step: "empty" };

export type FlowEvent =
  | { type: "answer"; patch: SurveyAnswers }
  | { type: "next" }
  | { type: "skip" }
  | { type: "submitted" }
  | { type: "failed" }
  | { type: "retry" };

export function startFlow(config: SurveyConfig): FlowState {
  const questions = enabledQuestions(config);
  const first = questions[0];
  return first ? { step: "question", question: first, index: 0, total: questions.length, answers: {} } : { step: "empty" };
}

/** Moves the flow on. Answering the last question (or "next" on it) leads to submitting. */
export function advance(config: SurveyConfig, state: FlowState, event: FlowEvent): FlowState {
  if (event.type === "skip") return { step: "skipped" };
  if (state.step === "question") {
    if (event.type === "answer") {
      // Custom answers merge by question id; an answer emptied by the shopper (no option left) is dropped.
      const custom = event.patch.custom ? { ...state.answers.custom, ...event.patch.custom } : state.answers.custom;
      const answers = { ...state.answers, ...event.patch };
      if (custom) answers.custom = custom;
      return { ...state, answers };
    }
    if (event.type === "next") {
      const questions = enabledQuestions(config);
      const next = questions[state.index + 1];
      if (next) return { ...state, question: next, index: state.index + 1 };
      return hasAnswers(state.answers) ? { step: "submitting", answers: state.answers } : { step: "skipped" };
    }
  }
  if (state.step === "submitting" && event.type === "submitted") return { step: "done", answers: state.answers };
  if (state.step === "submitting" && event.type === "failed") return { step: "error", answers: state.answers };
  if (state.step === "error" && event.type === "retry") return { step: "submitting", answers: state.answers };
  return state;
}

/** Whether an answer set holds anything to send (an empty `custom` object does not count). */
function hasAnswers(answers: SurveyAnswers): boolean {
  return Object.entries(answers).some(([key, value]) => key !== "custom" || Object.keys(value as object).length > 0);
}
