import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { modelGatewayChecks } from '../../../src/cli/commands/model-doctor-checks.js';
import { licensingProfileOf } from '../../../src/config/business-licensing.js';
import { parseBusinessConfig } from '../../../src/config/load-business-config.js';
import { readServerSettings } from '../../../src/config/server-settings.js';
import { systemClock } from '../../../src/core/clock.js';
import { isParleyError } from '../../../src/core/errors.js';
import { startModelGateway } from '../../../src/server/start-model-gateway.js';

const run = promisify(execFile);

const SCOUT = [
  'models:',
  '  catalog:',
  '    scout: { provider: openai-compatible, model: meta-llama/Llama-4-Scout-17B-16E-Instruct, baseUrl: "http://127.0.0.1:9/v1" }',
  '  tasks: { customer-replies: scout }',
];

function businessFile(business: string[], models: string[] = SCOUT): string {
  return [
    'business:',
    '  slug: eu-shop',
    '  name: EU Shop',
    '  timezone: Europe/Berlin',
    '  currency: EUR',
    ...business.map((line) => `  ${line}`),
    ...models,
    '',
  ].join('\n');
}

const parse = (text: string) => parseBusinessConfig(text, 'shop.yaml', {});

describe("the business's domicile and size live in its profile", () => {
  it('reads business.domicile and business.monthlyActiveUsers into the profile', () => {
    const config = parse(businessFile(['domicile: fr', 'monthlyActiveUsers: 12000']));
    expect(config.business.profile).toMatchObject({ domicile: 'FR', monthlyActiveUsers: 12_000 });
    expect(licensingProfileOf(config)).toEqual({
      licensing: { domicile: 'FR', monthlyActiveUsers: 12_000 },
      warnings: [],
    });
  });

  it('says what is wrong with a bad country or size, with the line', () => {
    let error: unknown;
    try {
      parse(businessFile(['domicile: France', 'monthlyActiveUsers: -5']));
    } catch (caught) {
      error = caught;
    }
    expect(isParleyError(error, 'config_invalid')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(
      'business.domicile: "France" is not a country code. Use ISO 3166 two letters, such as DE or TH. (line 6)',
    );
    expect(message).toMatch(/business\.monthlyActiveUsers: .*\(line 7\)/);
  });

  it('still reads the old models.licensing, with a deprecation warning; the profile wins', () => {
    const old = parse(businessFile([], [...SCOUT, '  licensing: { domicile: US }']));
    expect(licensingProfileOf(old)).toEqual({
      licensing: { domicile: 'US', monthlyActiveUsers: null },
      warnings: [
        "models.licensing is deprecated: the business's domicile and size belong to its profile. Move domicile: US under business: in the business file and remove models.licensing.",
      ],
    });
    const both = parse(businessFile(['domicile: DE'], [...SCOUT, '  licensing: { domicile: US }']));
    const resolved = licensingProfileOf(both);
    expect(resolved.licensing.domicile).toBe('DE');
    expect(resolved.warnings[1]).toMatch(/disagree.*Parley uses business:/);
  });

  it('refuses to start a model whose licence excludes the domicile in the profile', () => {
    const config = parse(businessFile(['domicile: FR']));
    const start = () =>
      startModelGateway({
        businessId: '00000000-0000-4000-8000-000000000001',
        config,
        settings: readServerSettings({}),
        store: { modelCalls: {}, contacts: {} } as never,
        clock: systemClock,
        logger: pino({ level: 'silent' }),
      });
    expect(start).toThrow(/models\.catalog\.scout: .*excludes this business \(domicile FR\)/);
    expect(start).toThrow(/correct business\.domicile/);
  });

  it('doctor reports the refusal from the profile and the deprecated location', async () => {
    const fromProfile = await modelGatewayChecks(
      { config: parse(businessFile(['domicile: FR'])), settings: readServerSettings({}) },
      { servers: [] },
    );
    expect(fromProfile[0]).toMatchObject({ name: 'licence scout', ok: false });
    expect(fromProfile[0]!.fix).toContain('business.domicile');
    const fromOld = await modelGatewayChecks(
      {
        config: parse(businessFile([], [...SCOUT, '  licensing: { domicile: US }'])),
        settings: readServerSettings({}),
      },
      { servers: [] },
    );
    expect(fromOld.map((check) => [check.name, check.ok])).toEqual([
      ['licence scout', true],
      ['licensing profile', true],
    ]);
    expect(fromOld[1]!.detail).toContain('models.licensing is deprecated');
  });

  it(
    'the real CLI fails on a refusal read from business.domicile',
    { timeout: 120_000 },
    async () => {
      const folder = await mkdtemp(join(tmpdir(), 'parley-licence-'));
      const file = join(folder, 'shop.yaml');
      await writeFile(file, businessFile(['domicile: FR']));
      const result = await run('node', ['bin/parley.js', 'doctor', '-c', file], {
        env: { ...process.env, PARLEY_DATA_DIR: folder, DATABASE_URL: '' },
      }).catch((error: { code: number; stdout: string }) => error);
      expect(result).toMatchObject({ code: 1 });
      expect(result.stdout).toMatch(/FAIL licence scout: .*Llama 4 Community License.*domicile FR/);
    },
  );
});
