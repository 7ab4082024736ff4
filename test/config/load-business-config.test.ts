import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { MINIMAL_YAML, configError } from './config-errors.js';

const DEMO_FILE = fileURLToPath(new URL('../../examples/demo-shop.yaml', import.meta.url));

describe('loadBusinessConfig: the demo shop', () => {
  it('loads the demo file with its whole catalog in minor units', async () => {
    const config = await loadBusinessConfig(DEMO_FILE, {});

    expect(config.business.slug).toBe('northside-cycles');
    expect(config.business.name).toBe('Northside Cycles');
    expect(config.business.profile).toMatchObject({
      timezone: 'Europe/London',
      currency: 'GBP',
      languages: ['en-GB'],
    });
    const weekday = [{ open: '09:00', close: '18:00' }];
    expect(config.business.profile.openingHours).toEqual({
      mon: weekday,
      tue: weekday,
      wed: weekday,
      thu: weekday,
      fri: weekday,
      sat: [{ open: '10:00', close: '16:00' }],
    });
    expect(config.model).toBeNull();
    expect(config.channels.web.enabled).toBe(true);
    expect(config.channels.web.greeting).toMatch(/\w/);
    expect(config.faq).toHaveLength(10);

    expect(config.products.length).toBeGreaterThanOrEqual(28);
    expect(config.products.length).toBeLessThanOrEqual(36);
    expect(new Set(config.products.map((product) => product.category))).toEqual(
      new Set([
        'Road bikes',
        'Hybrid bikes',
        "Kids' bikes",
        'Electric bikes',
        'Helmets',
        'Locks',
        'Lights',
        'Tyres and tubes',
        'Pumps',
        'Clothing',
        'Accessories',
      ]),
    );
    const variants = config.products.flatMap((product) => product.variants);
    expect(variants.every((variant) => Number.isInteger(variant.priceMinor))).toBe(true);
    expect(variants.filter((variant) => variant.compareAtMinor !== null).length).toBeGreaterThan(2);
    const outOfStock = config.products.filter((product) =>
      product.variants.every((variant) => variant.stock === 0),
    );
    expect(outOfStock.map((product) => product.handle)).toEqual(['cable-lock', 'mini-pump']);

    const roadBike = config.products.find((product) => product.handle === 'harbour-road-105');
    expect(roadBike?.variants.map((variant) => [variant.title, variant.priceMinor])).toEqual([
      ['50 cm', 114900],
      ['52 cm', 114900],
      ['54 cm', 114900],
      ['56 cm', 114900],
      ['58 cm', 114900],
    ]);
    const helmet = config.products.find((product) => product.handle === 'ridgeline-mips-helmet');
    expect(helmet?.variants[0]).toEqual({
      title: 'Black / M',
      sku: 'NC-RMH-BK-M',
      options: { colour: 'Black', size: 'M (54-58 cm)' },
      priceMinor: 6999,
      compareAtMinor: null,
      stock: 6,
    });

    expect(config.services).toEqual([
      expect.objectContaining({
        slug: 'basic-tune-up',
        durationMinutes: 60,
        bufferMinutes: 15,
        priceMinor: 4500,
      }),
      expect.objectContaining({
        slug: 'full-service',
        durationMinutes: 120,
        bufferMinutes: 15,
        priceMinor: 9500,
      }),
      expect.objectContaining({
        slug: 'bike-fitting',
        durationMinutes: 45,
        bufferMinutes: 15,
        priceMinor: 6000,
      }),
    ]);
  });
});

describe('loadBusinessConfig: files and environment', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'parley-config-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('says which path was tried and how to create a file when it is missing', async () => {
    const path = join(directory, 'missing.yaml');
    const { error } = await configError(() => loadBusinessConfig(path, {}));
    expect(error.message).toBe(
      `No business file at ${path}. Create one by copying the demo (cp examples/demo-shop.yaml ${path}) and editing it, or point PARLEY_CONFIG at an existing file.`,
    );
  });

  it('says so when the path is a directory', async () => {
    const { error } = await configError(() => loadBusinessConfig(directory, {}));
    expect(error.message).toContain(`${directory} is a directory, not a business file.`);
  });

  it('names the file in every problem', async () => {
    const path = join(directory, 'bad-zone.yaml');
    await writeFile(path, MINIMAL_YAML.replace('Europe/Paris', 'Mars/Olympus'));
    const { error } = await configError(() => loadBusinessConfig(path, {}));
    expect(error.message).toContain(
      `${path}: business.timezone: "Mars/Olympus" is not a time zone.`,
    );
  });

  it('substitutes ${NAME} in string values from the env it is given, keeping $${NAME} literal', async () => {
    const path = join(directory, 'env.yaml');
    await writeFile(
      path,
      `${MINIMAL_YAML}agent:
  instructions: "Quote prices as $\${AMOUNT}; our shop is \${SHOP_NAME}."
model:
  baseUrl: \${MODEL_URL}
  name: llama3.1:8b
  apiKey: \${OPENAI_API_KEY}
`,
    );
    const config = await loadBusinessConfig(path, {
      MODEL_URL: 'http://gpu-box:8000/v1',
      OPENAI_API_KEY: 'sk-test-123',
      SHOP_NAME: 'the bakery',
    });
    expect(config.model).toEqual({
      baseUrl: 'http://gpu-box:8000/v1',
      name: 'llama3.1:8b',
      apiKey: 'sk-test-123',
      timeoutMs: 30000,
    });
    expect(config.agent.instructions).toBe('Quote prices as ${AMOUNT}; our shop is the bakery.');
  });

  it('validates the substituted value, not the reference', async () => {
    const path = join(directory, 'env-bad.yaml');
    await writeFile(path, `${MINIMAL_YAML}model:\n  baseUrl: \${MODEL_URL}\n  name: x\n`);
    const { issues } = await configError(() =>
      loadBusinessConfig(path, { MODEL_URL: 'gpu-box:8000' }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(['model.baseUrl']);
    expect(issues[0]!.message).toMatch(/^"gpu-box:8000" is not an http/);
  });
});
