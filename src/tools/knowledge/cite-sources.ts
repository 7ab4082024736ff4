import type { AgentStepInput } from '../../core/agent-step.js';

// A reply "uses" a passage when it repeats at least this many of the passage's content words.
const MIN_SHARED_WORDS = 3;
const MAX_CITED = 2;

/**
 * Makes sure a reply that answers from a document says where the answer comes from: when this
 * turn's `search_knowledge` results include document passages, the reply repeats their words and
 * cites none of them, "(Source: <title>)" is added. The model is asked to cite (the tool's note);
 * this holds when it forgets. FAQ answers are the business's own words and are not cited.
 */
export function citeSources(reply: string, steps: readonly AgentStepInput[]): string {
  const passages = documentPassages(steps);
  if (passages.length === 0) return reply;
  const lower = reply.toLowerCase();
  if (/\(\s*sources?\s*:/i.test(reply)) return reply;
  if (passages.some((passage) => lower.includes(`source: ${passage.cite.toLowerCase()}`))) {
    return reply;
  }
  const replyWords = contentWords(reply);
  const scored = passages
    .map((passage) => ({
      cite: passage.cite,
      shared: [...contentWords(passage.text)].filter((word) => replyWords.has(word)).length,
    }))
    .filter((entry) => entry.shared >= MIN_SHARED_WORDS)
    .sort((a, b) => b.shared - a.shared);
  if (scored.length === 0) return reply;
  const best = scored[0]!.shared;
  const cites = [
    ...new Set(scored.filter((entry) => entry.shared * 2 >= best).map((entry) => entry.cite)),
  ].slice(0, MAX_CITED);
  return `${reply.trimEnd()}\n\n(Source: ${cites.join('; ')})`;
}

function documentPassages(steps: readonly AgentStepInput[]): Array<{ cite: string; text: string }> {
  const found: Array<{ cite: string; text: string }> = [];
  for (const step of steps) {
    if (step.kind !== 'tool' || step.toolName !== 'search_knowledge' || step.error) continue;
    const results = (step.output as { results?: unknown } | null)?.results;
    if (!Array.isArray(results)) continue;
    for (const result of results as Array<Record<string, unknown>>) {
      if (typeof result.cite === 'string' && typeof result.text === 'string') {
        found.push({ cite: result.cite, text: result.text });
      }
    }
  }
  return found;
}

function contentWords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]{4,}/gu) ?? [];
  return new Set(words.filter((word) => !COMMON.has(word)));
}

// Words every reply and passage share; they say nothing about which passage was used.
const COMMON = new Set([
  'that',
  'this',
  'with',
  'have',
  'from',
  'your',
  'will',
  'they',
  'them',
  'their',
  'there',
  'what',
  'when',
  'which',
  'would',
  'could',
  'should',
  'about',
  'into',
  'than',
  'then',
  'also',
  'only',
  'some',
  'more',
  'most',
  'been',
  'were',
  'does',
  'here',
  'just',
  'like',
  'want',
  'need',
  'please',
  'thanks',
  'thank',
  'sure',
  'happy',
  'help',
]);
