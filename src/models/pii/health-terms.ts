import { hasVerifiedMatch } from './scan-then-verify.js';

// Words that mark a message as health data (GDPR art. 9 "special category"). Health data is not
// redacted (the words carry the meaning) but classified, so routing can keep it on local models.
const TERMS =
  'diagnos\\w*|prescription|medication|medicine|allerg\\w*|pregnan\\w*|diabet\\w*|asthma|cancer|hiv|depression|therapy|surgery|symptom\\w*|doctor|clinic|hospital|disabilit\\w*|diagnóstico|receta médica|medicamento|embarazada|alergia|médico|enfermedad|ordonnance|médicament|enceinte|maladie|rezept|medikament|schwanger|krankheit|arzt|diagnosi|ricetta|farmaco|incinta|malattia|medico|gravidez|doença|remédio|दवा|बीमारी|डॉक्टर|गर्भवती';
// A term counts only as a whole word: no letter (in any script) right before or after it.
const WORD_TERMS = new RegExp(`(?<![\\p{L}])(${TERMS})(?![\\p{L}])`, 'uy');
// Every term is BMP text, so the same alternation without `u` finds the same places, cheaply.
const WORD_TERM_CANDIDATES = new RegExp(TERMS, 'g');
// Thai is written without spaces between words: no word boundaries to look for.
const THAI_TERMS = /(ยา|โรค|หมอ|ตั้งครรภ์|แพ้|โรงพยาบาล)/;

/** Whether the text talks about someone's health; pass the text lower-cased. */
export function mentionsHealth(lowerText: string): boolean {
  return (
    hasVerifiedMatch(lowerText, WORD_TERM_CANDIDATES, WORD_TERMS) || THAI_TERMS.test(lowerText)
  );
}
