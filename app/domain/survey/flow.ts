import type { SurveyAnswers } from "./answer";
import { enabledQuestions, type QuestionType, type SurveyConfig } from "./questions";

/**
 * The one-question-at-a-time flow, as a pure state machine. The extension renders it with Polaris web
 * components; the admin preview renders the very same states with Polaris React.
 */
export type FlowState =
  | { step: "question"; question: QuestionType; index: number; total: number; answers: SurveyAnswers }
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
    if (event.type === "answer") return { ...state, answers: { ...state.answers, ...event.patch } };
    if (event.type === "next") {
      const questions = enabledQuestions(config);
      const next = questions[state.index + 1];
      if (next) return { ...state, question: next, index: state.index + 1 };
      return Object.keys(state.answers).length ? { step: "submitting", answers: state.answers } : { step: "skipped" };
    }
  }
  if (state.step === "submitting" && event.type === "submitted") return { step: "done", answers: state.answers };
  if (state.step === "submitting" && event.type === "failed") return { step: "error", answers: state.answers };
  if (state.step === "error" && event.type === "retry") return { step: "submitting", answers: state.answers };
  return state;
}
