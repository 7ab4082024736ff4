import { describe, expect, it } from 'vitest';
import { businessConfigSchema, toBusinessInput } from '../../src/config/business-config.js';
import { parseBusinessConfig } from '../../src/config/load-business-config.js';
import { MINIMAL_YAML, configError } from './config-errors.js';

const parse = (yaml: string, env: Record<string, string | undefined> = {}) =>
  parseBusinessConfig(yaml, 'parley.yaml', env);

describe('parseBusinessConfig: valid files', () => {
  it('fills defaults for everything a minimal file leaves out', () => {
    const config = parse(MINIMAL_YAML);
    // Sections added by later features (tools, handoff…) have defaults of their own, tested there.
    expect(config).toMatchObject({
      business: {
        slug: 'corner-bakery',
        name: 'Corner Bakery',
        profile: {
          description: '',
          timezone: 'Europe/Paris',
          languages: ['en'],
          currency: 'EUR',
          openingHours: {},
          tone: 'friendly and concise',
        },
      },
      agent: { instructions: '', maxSteps: 6, historyMessages: 20 },
      model: null,
      channels: { web: { enabled: true, greeting: null, allowedOrigins: [] } },
      faq: [],
      products: [],
      services: [],
    });
    expect(toBusinessInput(config)).toEqual({
      slug: 'corner-bakery',
      name: 'Corner Bakery',
      instructions: '',
      profile: config.business.profile,
    });
  });

  it('maps opening hours, prices, variants and services onto the store types', () => {
    const config = parse(`${MINIMAL_YAML}  languages: [FR-fr, en]
  website: https://bakery.example
  openingHours:
    tue: ["14:00-18:30", "7:30 - 12:30"]
    sat: "08:00-24:00"
    sun: []
agent:
  instructions: |
    Be warm.
  maxSteps: 3
model:
  baseUrl: http://localhost:11434/v1
  name: qwen2.5:7b-instruct
channels:
  web:
    greeting: Bonjour!
    allowedOrigins: ["https://bakery.example/", "http://localhost:5173"]
faq:
  - question: " Gluten free? "
    answer: Yes, on Fridays.
products:
  - handle: sourdough
    title: Sourdough loaf
    category: Bread
    tags: [bread]
    variants:
      - { title: Small, sku: SD-S, options: { weight: 500, organic: true }, price: 4.5, stock: 0 }
      - { title: Large, price: "6.90", compareAtPrice: 7.2 }
  - handle: gift-card
    title: Gift card
    status: draft
    variants:
      - price: 25
services:
  - { slug: cake-tasting, name: Cake tasting, durationMinutes: 30, price: 0 }
`);
    expect(config.business.profile).toMatchObject({
      languages: ['fr-FR', 'en'],
      website: 'https://bakery.example',
      openingHours: {
        tue: [
          { open: '07:30', close: '12:30' },
          { open: '14:00', close: '18:30' },
        ],
        sat: [{ open: '08:00', close: '24:00' }],
      },
    });
    expect(config.business.profile.openingHours).not.toHaveProperty('sun');
    expect(config.agent).toEqual({ instructions: 'Be warm.', maxSteps: 3, historyMessages: 20 });
    expect(config.model).toEqual({
      baseUrl: 'http://localhost:11434/v1',
      name: 'qwen2.5:7b-instruct',
      apiKey: null,
      timeoutMs: 30000,
    });
    expect(config.channels.web).toEqual({
      enabled: true,
      greeting: 'Bonjour!',
      allowedOrigins: ['https://bakery.example', 'http://localhost:5173'],
    });
    expect(config.faq).toEqual([{ question: 'Gluten free?', answer: 'Yes, on Fridays.' }]);
    expect(config.products).toEqual([
      {
        handle: 'sourdough',
        title: 'Sourdough loaf',
        description: '',
        category: 'Bread',
        tags: ['bread'],
        status: 'active',
        variants: [
          {
            title: 'Small',
            sku: 'SD-S',
            options: { weight: '500', organic: 'true' },
            priceMinor: 450,
            compareAtMinor: null,
            stock: 0,
          },
          {
            title: 'Large',
            sku: null,
            options: {},
            priceMinor: 690,
            compareAtMinor: 720,
            stock: null,
          },
        ],
      },
      {
        handle: 'gift-card',
        title: 'Gift card',
        description: '',
        category: null,
        tags: [],
        status: 'draft',
        variants: [
          {
            title: 'Default',
            sku: null,
            options: {},
            priceMinor: 2500,
            compareAtMinor: null,
            stock: null,
          },
        ],
      },
    ]);
    expect(config.services).toEqual([
      {
        slug: 'cake-tasting',
        name: 'Cake tasting',
        description: '',
        durationMinutes: 30,
        bufferMinutes: 0,
        priceMinor: 0,
      },
    ]);
  });

  it('converts prices without floating-point drift', () => {
    const prices = ['0.29', '0.57', '1.15', '19.99', '1149.00', '2.1'];
    const config = parse(`${MINIMAL_YAML}products:
${prices.map((price, index) => `  - { handle: p${index}, title: P, variants: [{ price: ${price} }] }`).join('\n')}
`);
    expect(config.products.map((product) => product.variants[0]!.priceMinor)).toEqual([
      29, 57, 115, 1999, 114900, 210,
    ]);
  });

  it('uses the currency minor unit: yen have none', () => {
    const yen = MINIMAL_YAML.replace('EUR', 'JPY');
    const config = parse(`${yen}services:
  - { slug: cut, name: Cut, durationMinutes: 30, price: 4500 }
`);
    expect(config.services[0]!.priceMinor).toBe(4500);
  });

  it('is also usable as a plain zod schema', () => {
    const result = businessConfigSchema.safeParse({
      business: { slug: 'ab', name: 'AB', timezone: 'UTC', currency: 'USD' },
    });
    expect(result.success).toBe(true);
  });
});

describe('parseBusinessConfig: errors name the key path, the problem and the fix', () => {
  it('rejects a time zone that does not exist', async () => {
    const { error, issues } = await configError(() =>
      parse(MINIMAL_YAML.replace('Europe/Paris', 'Europe/Londn')),
    );
    expect(error.message).toContain(
      'parley.yaml: business.timezone: "Europe/Londn" is not a time zone. Use an IANA name such as Europe/London. (line 4)',
    );
    expect(issues).toMatchObject([{ path: 'business.timezone', line: 4 }]);
  });

  it('rejects malformed opening hours and ranges that close before they open', async () => {
    const { issues } = await configError(() =>
      parse(`${MINIMAL_YAML}  openingHours:
    mon: ["9am-5pm"]
    tue: ["18:00-09:00"]
    wed: ["09:00-25:00"]
    thu: 9
`),
    );
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      [
        'business.openingHours.mon[0]',
        '"9am-5pm" is not a time range. Write it as "HH:MM-HH:MM" in 24-hour time, such as "09:00-17:30".',
      ],
      [
        'business.openingHours.tue[0]',
        expect.stringMatching(/^"18:00-09:00" closes before it opens\. For hours past midnight/),
      ],
      ['business.openingHours.wed[0]', expect.stringMatching(/^"09:00-25:00" is not a time range/)],
      ['business.openingHours.thu', expect.stringMatching(/^9 is not a list of time ranges\./)],
    ]);
  });

  it('rejects overlapping ranges on one day', async () => {
    const { issues } = await configError(() =>
      parse(`${MINIMAL_YAML}  openingHours:
    fri: ["13:00-18:00", "09:00-13:30"]
`),
    );
    expect(issues).toEqual([
      {
        path: 'business.openingHours.fri',
        segments: ['business', 'openingHours', 'fri'],
        message:
          '09:00-13:30 and 13:00-18:00 overlap. Merge them into one range or make the second start when the first ends.',
        line: 7,
      },
    ]);
  });

  it('names the nearest valid key for a typo, and lists the valid keys otherwise', async () => {
    const { error, issues } = await configError(() =>
      parse(`${MINIMAL_YAML}  timzone: Europe/Paris
  opening_hours: {}
  openingHours:
    monday: ["09:00-17:00"]
agent:
  max_steps: 4
faq:
  - { question: Q, answer: A, colour: red }
`),
    );
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['business.timzone', '"timzone" is not a known key. Did you mean "timezone"?'],
      [
        'business.opening_hours',
        '"opening_hours" is not a known key. Did you mean "openingHours"?',
      ],
      ['business.openingHours.monday', '"monday" is not a known key. Did you mean "mon"?'],
      ['agent.max_steps', '"max_steps" is not a known key. Did you mean "maxSteps"?'],
      ['faq[0].colour', '"colour" is not a known key. Remove it, or use one of: question, answer.'],
    ]);
    expect(error.message).toContain(
      'parley.yaml: business.timzone: "timzone" is not a known key. Did you mean "timezone"? (line 6)',
    );
  });

  it('rejects unknown top-level sections', async () => {
    const { issues } = await configError(() => parse(`${MINIMAL_YAML}prodcuts: []\n`));
    expect(issues).toMatchObject([
      { path: 'prodcuts', message: '"prodcuts" is not a known key. Did you mean "products"?' },
    ]);
  });

  it('rejects bad prices: negative, too precise, not a number, compare-at not higher', async () => {
    const { issues } = await configError(() =>
      parse(`${MINIMAL_YAML}products:
  - handle: croissant
    title: Croissant
    variants:
      - { title: A, price: -1.5 }
      - { title: B, price: 1.999 }
      - { title: C, price: "£2" }
      - { title: D, price: true }
services:
  - { slug: class, name: Class, durationMinutes: 60, price: 30, bufferMinutes: 5 }
  - { slug: tasting, name: Tasting, durationMinutes: 60, price: 10.001 }
`),
    );
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['products[0].variants[0].price', '-1.5 is negative. Prices must be 0 or more.'],
      [
        'products[0].variants[1].price',
        '1.999 has more than 2 decimals. Round it to whole pence or cents, such as 2.00.',
      ],
      [
        'products[0].variants[2].price',
        '"£2" is not a price. Write the amount in major units, such as 24.99.',
      ],
      [
        'products[0].variants[3].price',
        'true is not a price. Write the amount in major units, such as 24.99.',
      ],
      ['services[1].price', expect.stringMatching(/^10\.001 has more than 2 decimals/)],
    ]);

    const compareAt = await configError(() =>
      parse(`${MINIMAL_YAML}products:
  - { handle: tart, title: Tart, variants: [{ price: 5, compareAtPrice: 4.5 }] }
`),
    );
    expect(compareAt.issues.map((issue) => issue.path)).toEqual([
      'products[0].variants[0].compareAtPrice',
    ]);
    expect(compareAt.issues[0]!.message).toMatch(/^4\.5 is not more than the price 5\./);
  });

  it('rejects decimals in a currency without a minor unit', async () => {
    const { issues } = await configError(() =>
      parse(`${MINIMAL_YAML.replace('EUR', 'JPY')}services:
  - { slug: cut, name: Cut, durationMinutes: 30, price: 4500.5 }
`),
    );
    expect(issues).toMatchObject([
      {
        path: 'services[0].price',
        message:
          '4500.5 has decimals, but JPY has no minor unit. Write a whole amount, such as 4501.',
      },
    ]);
  });

  it('rejects duplicate handles, variant titles, SKUs and service slugs', async () => {
    const { issues } = await configError(() =>
      parse(`${MINIMAL_YAML}products:
  - handle: baguette
    title: Baguette
    variants: [{ title: One, sku: B1, price: 1 }, { title: One, price: 2 }]
  - handle: baguette
    title: Baguette again
    variants: [{ sku: B1, price: 1 }]
services:
  - { slug: class, name: Class, durationMinutes: 60, price: 30 }
  - { slug: class, name: Class 2, durationMinutes: 60, price: 30 }
`),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      'products[0].variants[1].title',
      'products[1].handle',
      'products[1].variants[0].sku',
      'services[1].slug',
    ]);
  });

  it('reports missing, empty and out-of-range values with how to fix them', async () => {
    const { issues } = await configError(() =>
      parse(`business:
  slug: Corner Bakery!
  name: ""
  currency: eur
  timezone: Europe/Paris
  languages: [en_GB]
agent:
  maxSteps: 50
  historyMessages: 2.5
model:
  baseUrl: localhost:11434
channels:
  web:
    enabled: "yes"
    allowedOrigins: [https://bakery.example/shop]
faq:
  - question: Open on Sunday?
products:
  - { handle: loaf, title: Loaf, status: live, variants: [] }
services:
  - { slug: class, name: Class, durationMinutes: 1, price: 30 }
`),
    );
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      [
        'business.slug',
        '"Corner Bakery!" is not a valid slug. Use 2–48 lower-case letters, digits and hyphens, such as corner-bakery.',
      ],
      ['business.name', 'is empty. Fill it in, or remove the key if it is optional.'],
      ['business.currency', '"eur" must be upper case. Write EUR.'],
      ['business.languages[0]', expect.stringMatching(/^"en_GB" is not a BCP 47 language tag\./)],
      ['agent.maxSteps', '50 is not allowed here. Use a whole number from 1 to 20.'],
      ['agent.historyMessages', '2.5 is not allowed here. Use a whole number from 1 to 200.'],
      ['model.name', 'is missing. Add it (examples/demo-shop.yaml shows an example).'],
      [
        'model.baseUrl',
        '"localhost:11434" is not an http(s) URL. Write the full address, such as http://localhost:11434/v1.',
      ],
      ['channels.web.enabled', '"yes" is not true or false. Write true or false, without quotes.'],
      ['channels.web.allowedOrigins[0]', expect.stringMatching(/ has a path\. An origin is only/)],
      ['faq[0].answer', 'is missing. Add it (examples/demo-shop.yaml shows an example).'],
      ['products[0].status', '"live" is not a product status. Use active, draft or archived.'],
      ['products[0].variants', 'needs at least 1 entry. Add one.'],
      ['services[0].durationMinutes', '1 is not allowed here. Use a whole number from 5 to 600.'],
    ]);
  });

  it('says a missing environment variable by key path and name, once', async () => {
    const yaml = `${MINIMAL_YAML}model:
  baseUrl: \${MODEL_URL}
  name: llama
  apiKey: \${OPENAI_API_KEY}
`;
    const { error, issues } = await configError(() => parse(yaml, { MODEL_URL: '' }));
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      [
        'model.baseUrl',
        'refers to ${MODEL_URL}, which is not set. Set MODEL_URL in the environment, or write the value in its place.',
      ],
      [
        'model.apiKey',
        'refers to ${OPENAI_API_KEY}, which is not set. Set it in the environment or remove the key.',
      ],
    ]);
    expect(error.message).toContain(
      'parley.yaml: model.apiKey: refers to ${OPENAI_API_KEY}, which is not set. Set it in the environment or remove the key. (line 9)',
    );
  });

  it('does not suggest removing a text that only mentions a variable, and rejects bad names', async () => {
    const { issues } = await configError(() =>
      parse(`${MINIMAL_YAML}agent:
  instructions: "We are \${SHOP_NAME}. \${not a name}"
`),
    );
    expect(issues.map((issue) => issue.message)).toEqual([
      'refers to ${SHOP_NAME}, which is not set. Set SHOP_NAME in the environment, or write the value in its place.',
      '${not a name} is not a valid reference. Variable names use letters, digits and underscores; write $${not a name} for a literal ${not a name}.',
    ]);
  });

  it('gives the line and column of a YAML syntax error', async () => {
    const { error, issues } = await configError(() =>
      parse('business:\n  slug: x\n  name: [unclosed\n  timezone: UTC\n'),
    );
    expect(error.message).toMatch(/^The business file parley\.yaml has 1 problem:\n/);
    expect(error.message).toMatch(/parley\.yaml: line \d+, column \d+: /);
    expect(issues[0]!.line).toBeGreaterThanOrEqual(3);

    const tabbed = await configError(() => parse('business:\n\tslug: x\n'));
    expect(tabbed.error.message).toContain('parley.yaml: line 2, column 1: ');
  });

  it('explains an empty file and a file that is not a set of sections', async () => {
    expect((await configError(() => parse(''))).error.message).toContain(
      'parley.yaml: The file is empty. Copy examples/demo-shop.yaml and edit it.',
    );
    expect((await configError(() => parse('- business\n'))).error.message).toContain(
      'parley.yaml: The file should be a set of sections',
    );
  });
});
