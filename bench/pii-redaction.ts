// PII redaction benchmark: false positives on random digit strings, and cost per 1 KB message.
// Run: npx tsx bench/pii-redaction.ts [strings] (default 1,000,000).
import { RedactionSession } from '../src/models/pii/redaction-session.js';
import { buildPiiEvalSet } from '../test/models/pii/pii-eval-set.js';
import { countDigitStringFalsePositives } from '../test/models/pii/random-digit-strings.js';
import { scorePii } from '../test/models/pii/score-pii.js';

const PROSE = [
  'Hi there, I bought a city bike from your shop last month and the rear brake has started squeaking when it rains.',
  'Could you tell me whether the workshop is open on Saturday morning, and how long a basic tune-up usually takes?',
  'Hola, quería saber si tenéis cascos de talla M en color negro y si puedo recogerlo mañana por la tarde.',
  'Bonjour, je voudrais savoir si la livraison est possible avant vendredi, le vélo est un cadeau pour mon fils.',
  'Guten Tag, ich habe eine Frage zur Rechnung vom letzten Monat, der Betrag scheint doppelt abgebucht worden zu sein.',
  'Ciao, avete ancora disponibile il modello in alluminio? Lo cerco da settimane e vorrei prenotarlo.',
  'สวัสดีค่ะ อยากทราบว่าร้านเปิดวันอาทิตย์ไหมคะ และมีบริการซ่อมยางรถจักรยานหรือเปล่า',
];

export async function benchPiiRedaction(strings = 1_000_000): Promise<Record<string, unknown>> {
  const falsePositives = countDigitStringFalsePositives(strings);

  const examples = buildPiiEvalSet(20);
  // Dense: 1 KB made only of labelled sentences, so every ~60 characters hold PII or a look-alike.
  const dense: Array<{ text: string; names: string[] }> = [];
  // Typical: 1 KB of ordinary customer prose with two labelled sentences in it.
  const typical: Array<{ text: string; names: string[] }> = [];
  for (let index = 0; dense.length < 2_000; index++) {
    let text = '';
    const names: string[] = [];
    while (text.length < 1024) {
      const example = examples[(index * 7919 + text.length) % examples.length]!;
      text += `${example.text} `;
      names.push(...(example.knownNames ?? []));
    }
    dense.push({ text: text.slice(0, 1024), names });
    const first = examples[(index * 31) % examples.length]!;
    const second = examples[(index * 37 + 5) % examples.length]!;
    let prose = `${PROSE[index % PROSE.length]!} ${first.text} `;
    while (prose.length < 1024 - second.text.length)
      prose += `${PROSE[(index + prose.length) % PROSE.length]!} `;
    typical.push({
      text: `${prose}${second.text}`.slice(0, 1024),
      names: [...(first.knownNames ?? []), ...(second.knownNames ?? [])],
    });
  }
  const timePerMessage = (messages: Array<{ text: string; names: string[] }>): number => {
    const run = () => {
      for (const message of messages) {
        new RedactionSession({ defaultCountry: 'GB', knownNames: message.names }).redact(
          message.text,
        );
      }
    };
    for (let warm = 0; warm < 3; warm++) run();
    const rounds = 10;
    const started = performance.now();
    for (let round = 0; round < rounds; round++) run();
    return (performance.now() - started) / (rounds * messages.length);
  };
  const typicalMs = timePerMessage(typical);
  const denseMs = timePerMessage(dense);

  const score = scorePii(buildPiiEvalSet(100));
  await Promise.resolve();
  return {
    randomDigitStrings: falsePositives.strings,
    flagged: falsePositives.withFindings,
    falsePositiveRate: falsePositives.withFindings / falsePositives.strings,
    flaggedByLength: Object.fromEntries(
      Object.entries(falsePositives.byLength).map(([length, bucket]) => [
        length,
        bucket.withFindings,
      ]),
    ),
    msPer1KbMessageTypical: Number(typicalMs.toFixed(4)),
    msPer1KbMessageDense: Number(denseMs.toFixed(4)),
    recallByRecogniser: Object.fromEntries(
      Object.entries(score.byRecogniser).map(([name, value]) => [name, value.recall]),
    ),
    hardNegativesWithFindings: `${score.negativesWithFindings}/${score.negatives}`,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchPiiRedaction(Number(process.argv[2] ?? 1_000_000));
  process.stdout.write(`${JSON.stringify({ benchmark: 'pii-redaction', ...result }, null, 2)}\n`);
}
