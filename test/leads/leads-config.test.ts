import { describe, expect, it } from 'vitest';
import { parseBusinessConfig } from '../../src/config/load-business-config.js';
import { MINIMAL_YAML, configError } from '../config/config-errors.js';

const parse = (yaml: string, env: Record<string, string | undefined> = {}) =>
  parseBusinessConfig(`${MINIMAL_YAML}${yaml}`, 'parley.yaml', env);

const QUESTIONS = `leads:
  questions:
    - { id: budget, prompt: Your budget?, type: number, min: 10, max: 500, required: true }
    - { id: cake, prompt: Which cake?, type: choice, choices: [wedding, birthday] }
    - { id: email, prompt: Your e-mail?, type: email }
`;

describe('leads: in the business file', () => {
  it('is off when the section is left out', () => {
    expect(parse('').businessTools?.leads).toBeNull();
  });

  it('maps questions, rules, default stages and a webhook secret from the environment', () => {
    const config = parse(
      `${QUESTIONS}  scoring:
    - { question: budget, atLeast: 100, points: 30 }
    - { question: cake, equals: Wedding, points: 50 }
    - { question: email, answered: true, points: 5 }
  webhook:
    url: https://crm.example/hooks/parley
    secret: \${CRM_SECRET}
`,
      { CRM_SECRET: 'a-long-enough-secret-value' },
    );
    expect(config.businessTools?.leads).toEqual({
      purpose: '',
      defaultCountry: null,
      questions: [
        {
          id: 'budget',
          prompt: 'Your budget?',
          type: 'number',
          required: true,
          choices: [],
          min: 10,
          max: 500,
        },
        {
          id: 'cake',
          prompt: 'Which cake?',
          type: 'choice',
          required: false,
          choices: ['wedding', 'birthday'],
          min: null,
          max: null,
        },
        {
          id: 'email',
          prompt: 'Your e-mail?',
          type: 'email',
          required: false,
          choices: [],
          min: null,
          max: null,
        },
      ],
      scoring: [
        { question: 'budget', points: 30, condition: { kind: 'atLeast', value: 100 } },
        { question: 'cake', points: 50, condition: { kind: 'equals', value: 'Wedding' } },
        { question: 'email', points: 5, condition: { kind: 'answered' } },
      ],
      stages: [
        { name: 'new', minScore: 0 },
        { name: 'qualified', minScore: 40 },
        { name: 'hot', minScore: 70 },
        { name: 'won', minScore: null },
        { name: 'lost', minScore: null },
      ],
      webhook: {
        url: 'https://crm.example/hooks/parley',
        secret: 'a-long-enough-secret-value',
        allowPrivateNetwork: false,
      },
    });
  });

  it.each([
    [
      'a question id that is not a key',
      `leads:\n  questions:\n    - { id: Your Budget, prompt: Budget?, type: number }\n`,
      'leads.questions[0].id',
      '"Your Budget" is not a valid question id. Use lower-case letters, digits and underscores',
    ],
    [
      'an unknown question type',
      `leads:\n  questions:\n    - { id: budget, prompt: Budget?, type: money }\n`,
      'leads.questions[0].type',
      '"money" is not a question type. Use text, number, choice, email, phone or boolean.',
    ],
    [
      'a choice question without choices',
      `leads:\n  questions:\n    - { id: cake, prompt: Which?, type: choice }\n`,
      'leads.questions[0].choices',
      'The choice question cake has no choices. List them, such as choices: [road, gravel, mountain].',
    ],
    [
      'choices on a text question',
      `leads:\n  questions:\n    - { id: cake, prompt: Which?, type: text, choices: [a, b] }\n`,
      'leads.questions[0].choices',
      'Only choice questions take choices; cake is a text question.',
    ],
    [
      'min above max',
      `leads:\n  questions:\n    - { id: budget, prompt: B?, type: number, min: 500, max: 10 }\n`,
      'leads.questions[0].max',
      'max 10 is below min 500. Swap them.',
    ],
    [
      'two questions with one id',
      `leads:\n  questions:\n    - { id: budget, prompt: B?, type: number }\n    - { id: budget, prompt: C?, type: text }\n`,
      'leads.questions[1].id',
      '"budget" is already used by an earlier question. Give each question its own id.',
    ],
    [
      'a rule for a question that does not exist',
      `${QUESTIONS}  scoring:\n    - { question: budgte, atLeast: 100, points: 10 }\n`,
      'leads.scoring[0].question',
      'There is no question "budgte". Use one of: budget, cake, email.',
    ],
    [
      'a rule with two conditions',
      `${QUESTIONS}  scoring:\n    - { question: budget, atLeast: 100, atMost: 200, points: 10 }\n`,
      'leads.scoring[0]',
      'Give each scoring rule exactly one condition (equals, atLeast, atMost, contains or answered); this one has atLeast and atMost.',
    ],
    [
      'a rule with no condition',
      `${QUESTIONS}  scoring:\n    - { question: budget, points: 10 }\n`,
      'leads.scoring[0]',
      'this one has none.',
    ],
    [
      'atLeast on a choice question',
      `${QUESTIONS}  scoring:\n    - { question: cake, atLeast: 3, points: 10 }\n`,
      'leads.scoring[0].atLeast',
      'atLeast compares numbers, but cake is a choice question. Use equals or contains.',
    ],
    [
      'equals a value that is not a choice',
      `${QUESTIONS}  scoring:\n    - { question: cake, equals: funeral, points: 10 }\n`,
      'leads.scoring[0].equals',
      '"funeral" is not one of the choices of cake: wedding, birthday.',
    ],
    [
      'equals text on a number question',
      `${QUESTIONS}  scoring:\n    - { question: budget, equals: lots, points: 10 }\n`,
      'leads.scoring[0].equals',
      'budget is a number question, so equals needs a number, not "lots".',
    ],
    [
      'points that are not whole',
      `${QUESTIONS}  scoring:\n    - { question: email, answered: true, points: 2.5 }\n`,
      'leads.scoring[0].points',
      'Points must be a whole number from -1000 to 1000.',
    ],
    [
      'stages no score can reach',
      `${QUESTIONS}  stages:\n    - { name: won }\n    - { name: lost }\n`,
      'leads.stages',
      'No stage has a minScore, so a score could never reach one. Give the first stage minScore: 0.',
    ],
    [
      'a stage name with spaces',
      `${QUESTIONS}  stages:\n    - { name: Very Hot, minScore: 0 }\n`,
      'leads.stages[0].name',
      '"Very Hot" is not a valid stage name.',
    ],
    [
      'a country that is not a code',
      `${QUESTIONS}  defaultCountry: UK\n`,
      'leads.defaultCountry',
      '"UK" is not a country code. Use an ISO 3166 two-letter code in capitals, such as GB or US.',
    ],
    [
      'a webhook URL that is not http(s)',
      `${QUESTIONS}  webhook:\n    url: crm.example/hook\n    secret: a-long-enough-secret-value\n`,
      'leads.webhook.url',
      '"crm.example/hook" is not an http(s) URL.',
    ],
    ...[
      'http://127.0.0.1:8080/hook',
      'https://10.1.2.3/hook',
      'https://[::1]/hook',
      'https://169.254.169.254/latest/meta-data',
      'http://0x7f000001/hook',
      'https://localhost/hook',
      'https://crm.internal/hook',
    ].map((url) => [
      `a webhook URL on a private address (${url})`,
      `${QUESTIONS}  webhook:\n    url: ${url}\n    secret: a-long-enough-secret-value\n`,
      'leads.webhook.url',
      'a private, loopback or link-local address, and Parley pushes leads only to public addresses. For a CRM on your own network, add allowPrivateNetwork: true under webhook.',
    ]),
    [
      'a short webhook secret',
      `${QUESTIONS}  webhook:\n    url: https://crm.example/hook\n    secret: abc\n`,
      'leads.webhook.secret',
      'The webhook secret is too short to sign with. Use at least 16 random characters',
    ],
    [
      'a typo in a key',
      `${QUESTIONS}  scorring: []\n`,
      'leads.scorring',
      '"scorring" is not a known key. Did you mean "scoring"?',
    ],
  ])('reports %s where it is, saying how to fix it', async (_name, yaml, path, message) => {
    const { issues } = await configError(() => parse(yaml));
    expect(issues).toEqual([expect.objectContaining({ path })]);
    expect(issues[0]!.message).toContain(message);
  });

  it('takes a CRM on a private network when the operator says so', () => {
    const config = parse(
      `${QUESTIONS}  webhook:\n    url: http://192.168.1.20:8080/hook\n    secret: a-long-enough-secret-value\n    allowPrivateNetwork: true\n`,
    );
    expect(config.businessTools?.leads?.webhook).toEqual({
      url: 'http://192.168.1.20:8080/hook',
      secret: 'a-long-enough-secret-value',
      allowPrivateNetwork: true,
    });
  });

  it('names the unset variable of a webhook secret', async () => {
    const { error } = await configError(() =>
      parse(
        `${QUESTIONS}  webhook:\n    url: https://crm.example/hook\n    secret: \${CRM_SECRET}\n`,
      ),
    );
    expect(error.message).toContain('CRM_SECRET');
  });
});
