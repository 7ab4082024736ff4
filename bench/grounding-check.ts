// Grounding check benchmark (promise 1): cost of checking one 1 KB reply against a turn's tool
// results, facts gathering included, and the labelled set's false alarms and catches.
// Run: npx tsx bench/grounding-check.ts [replies] (default 20,000).
import { checkGrounding } from '../src/agent/grounding/check-grounding.js';
import { checkLinks } from '../src/agent/grounding/check-links.js';
import {
  addFactsFromText,
  addFactsFromValue,
  emptyFacts,
} from '../src/agent/grounding/grounding-facts.js';
import { LABELLED_REPLIES } from '../test/grounding/labelled-replies.js';

const OPTIONS = { currency: 'GBP', timeZone: 'Europe/London' };
const HOSTS = ['northside-cycles.example', 'checkout.stripe.com'];

export function benchGroundingCheck(replies = 20_000): Record<string, unknown> {
  // 1 KB replies stitched from the labelled set's correct replies, with their tools' results.
  const correct = LABELLED_REPLIES.filter((item) => item.grounded);
  const cases: Array<{ reply: string; tools: unknown[]; customer: string }> = [];
  for (let index = 0; cases.length < 500; index++) {
    let reply = '';
    const tools: unknown[] = [];
    let customer = '';
    // Whole replies only, up to 1 KB: a figure cut in half would be a different figure.
    for (let step = 0; ; step++) {
      const item = correct[(index * 7 + step * 13) % correct.length]!;
      if (reply.length + item.reply.length + 1 > 1024) break;
      reply += `${item.reply} `;
      tools.push(...item.tools);
      customer += `${item.customer} `;
    }
    cases.push({ reply, tools, customer });
  }
  let violations = 0;
  const check = (item: (typeof cases)[number]) => {
    const facts = emptyFacts();
    for (const output of item.tools) addFactsFromValue(facts, output, OPTIONS);
    addFactsFromText(facts, item.customer, OPTIONS.timeZone);
    violations += checkGrounding(item.reply, facts).length + checkLinks(item.reply, HOSTS).length;
  };
  for (let index = 0; index < 1_000; index++) check(cases[index % cases.length]!);
  const timings: number[] = [];
  const started = performance.now();
  for (let index = 0; index < replies; index++) {
    const one = performance.now();
    check(cases[index % cases.length]!);
    timings.push(performance.now() - one);
  }
  const total = performance.now() - started;
  timings.sort((a, b) => a - b);
  const planted = LABELLED_REPLIES.filter((item) => !item.grounded);
  const flagged = (item: (typeof LABELLED_REPLIES)[number]) => {
    const facts = emptyFacts();
    for (const output of item.tools) addFactsFromValue(facts, output, OPTIONS);
    addFactsFromText(facts, item.customer, OPTIONS.timeZone);
    return checkGrounding(item.reply, facts).length + checkLinks(item.reply, HOSTS).length > 0;
  };
  return {
    replies,
    meanMsPer1KbReply: Number((total / replies).toFixed(4)),
    p50Ms: Number(timings[Math.floor(replies * 0.5)]!.toFixed(4)),
    p95Ms: Number(timings[Math.floor(replies * 0.95)]!.toFixed(4)),
    p99Ms: Number(timings[Math.floor(replies * 0.99)]!.toFixed(4)),
    targetMs: 1,
    // Stitched replies repeat figures across cases; any violation here would be a false alarm.
    violationsOnCorrectStitchedReplies: violations,
    labelledFalseAlarms: `${correct.filter(flagged).length}/${correct.length}`,
    labelledCatches: `${planted.filter(flagged).length}/${planted.length}`,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(benchGroundingCheck(Number(process.argv[2] ?? 20_000)));
}
