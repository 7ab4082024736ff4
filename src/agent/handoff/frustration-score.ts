import { findPhrase, foldText } from './match-words.js';

// A small multilingual lexicon; weights say how strongly a word signals an upset customer.
const NEGATIVE: ReadonlyArray<readonly [string, number]> = [
  ['ridiculous', 0.5],
  ['useless', 0.5],
  ['terrible', 0.4],
  ['awful', 0.4],
  ['worst', 0.5],
  ['angry', 0.4],
  ['furious', 0.6],
  ['unacceptable', 0.5],
  ['disgusting', 0.5],
  ['scam', 0.6],
  ['fed up', 0.5],
  ['sick of', 0.5],
  ['waste of time', 0.5],
  ['still not', 0.3],
  ['again', 0.15],
  ['never', 0.15],
  ['wtf', 0.5],
  ['stupid', 0.5],
  ['annoyed', 0.4],
  ['disappointed', 0.35],
  ['horrible', 0.4],
  ['inútil', 0.5],
  ['ridículo', 0.5],
  ['harto', 0.5],
  ['estafa', 0.6],
  ['pésimo', 0.5],
  ['enfadado', 0.4],
  ['nutzlos', 0.5],
  ['lächerlich', 0.5],
  ['unverschämt', 0.6],
  ['betrug', 0.6],
  ['schrecklich', 0.4],
  ['sauer', 0.4],
  ['inutile', 0.5],
  ['ridicule', 0.5],
  ['arnaque', 0.6],
  ['nul', 0.4],
  ['énervé', 0.4],
  ['belachelijk', 0.5],
  ['waardeloos', 0.5],
  ['oplichting', 0.6],
  ['boos', 0.4],
  ['vergogna', 0.5],
  ['truffa', 0.6],
];

export interface FrustrationScore {
  /** 0 (calm) to 1 (furious). */
  score: number;
  signals: string[];
}

/**
 * A deterministic lexicon score of how upset a message is: weighted words, plus shouting (mostly
 * capitals) and repeated exclamation or question marks. Deliberately simple and explainable: the
 * evidence lists every signal that counted.
 */
export function scoreFrustration(text: string): FrustrationScore {
  const signals: string[] = [];
  let score = 0;
  for (const [word, weight] of NEGATIVE) {
    if (findPhrase(text, [word])) {
      score += weight;
      signals.push(word);
    }
  }
  const letters = text.replace(/[^\p{L}]/gu, '');
  const capitals = text.replace(/[^\p{Lu}]/gu, '');
  if (letters.length >= 8 && capitals.length / letters.length > 0.7) {
    score += 0.3;
    signals.push('shouting');
  }
  if (/[!?]{3,}/.test(text)) {
    score += 0.2;
    signals.push('"!!!"');
  }
  if (foldText(text).includes('😡') || text.includes('🤬')) {
    score += 0.4;
    signals.push('angry emoji');
  }
  return { score: Math.min(1, Math.round(score * 100) / 100), signals };
}
