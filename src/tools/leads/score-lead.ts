import type { LeadAnswer, LeadCondition, LeadSettings } from '../../core/leads.js';

/** The score of these answers (sum of the rules that hold) and the stage it reaches. */
export function scoreLead(
  settings: LeadSettings,
  answers: Readonly<Record<string, LeadAnswer>>,
): { score: number; stage: string } {
  let score = 0;
  for (const rule of settings.scoring) {
    const answer = answers[rule.question];
    if (answer !== undefined && holds(rule.condition, answer)) score += rule.points;
  }
  return { score, stage: stageForScore(settings, score) };
}

/**
 * The stage with the highest `minScore` the score reaches; below every threshold, the one with the
 * lowest. Stages without a threshold (won, lost) are only ever set by a person.
 */
export function stageForScore(settings: LeadSettings, score: number): string {
  const scored = settings.stages
    .filter((stage) => stage.minScore !== null)
    .sort((a, b) => a.minScore! - b.minScore!);
  const reached = scored.filter((stage) => score >= stage.minScore!).at(-1) ?? scored[0];
  return reached?.name ?? settings.stages[0]?.name ?? 'new';
}

function holds(condition: LeadCondition, answer: LeadAnswer): boolean {
  switch (condition.kind) {
    case 'answered':
      return true;
    case 'equals':
      return typeof answer === 'string' && typeof condition.value === 'string'
        ? answer.toLowerCase() === condition.value.toLowerCase()
        : answer === condition.value;
    case 'atLeast':
      return typeof answer === 'number' && answer >= condition.value;
    case 'atMost':
      return typeof answer === 'number' && answer <= condition.value;
    case 'contains':
      return (
        typeof answer === 'string' && answer.toLowerCase().includes(condition.value.toLowerCase())
      );
  }
}

/** The required questions not answered yet, in the order the business listed them. */
export function missingQuestions(
  settings: LeadSettings,
  answers: Readonly<Record<string, LeadAnswer>>,
): Array<{ id: string; prompt: string }> {
  return settings.questions
    .filter((question) => question.required && answers[question.id] === undefined)
    .map((question) => ({ id: question.id, prompt: question.prompt }));
}
