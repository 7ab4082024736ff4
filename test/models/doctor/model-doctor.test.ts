import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelGatewayChecks } from '../../../src/cli/commands/model-doctor-checks.js';
import { loadBusinessConfig } from '../../../src/config/load-business-config.js';
import { modelsSection, toModelsSettings } from '../../../src/config/models-config.js';
import { readServerSettings } from '../../../src/config/server-settings.js';
import { DEMO_CONFIG_PATH } from '../../../src/cli/load-startup.js';
import { startStandInUpstream, type StandInUpstream } from '../support/stand-in-upstream.js';

const run = promisify(execFile);

describe('parley doctor: licences and local model servers', () => {
  let upstream: StandInUpstream;
  beforeAll(async () => {
    upstream = await startStandInUpstream();
  });
  afterAll(() => upstream.close());

  const startupWith = async (models: unknown) => {
    const config = await loadBusinessConfig(DEMO_CONFIG_PATH, {});
    config.models = toModelsSettings(modelsSection.parse(models));
    return { config, settings: readServerSettings({}) };
  };

  it('fails a model whose licence excludes the business, with the reason', async () => {
    const startup = await startupWith({
      catalog: {
        scout: {
          provider: 'openai-compatible',
          model: 'llama4-scout:17b',
          baseUrl: 'http://127.0.0.1:9/v1',
        },
        qwen: {
          provider: 'openai-compatible',
          model: 'qwen3:8b',
          baseUrl: 'http://127.0.0.1:9/v1',
        },
        mystery: {
          provider: 'openai-compatible',
          model: 'acme-7b',
          baseUrl: 'http://127.0.0.1:9/v1',
        },
      },
      tasks: { 'customer-replies': { primary: 'qwen', fallbacks: ['scout'] } },
      licensing: { domicile: 'de' },
    });
    const checks = await modelGatewayChecks(startup, { servers: [] });
    const scout = checks.find((check) => check.name === 'licence scout')!;
    expect(scout.ok).toBe(false);
    expect(scout.detail).toContain('excludes this business (domicile DE)');
    expect(checks.find((check) => check.name === 'licence qwen')).toMatchObject({
      ok: true,
      detail: 'qwen3:8b: Apache-2.0 (open weights)',
    });
    expect(checks.find((check) => check.name === 'licence mystery')).toMatchObject({
      ok: true,
      detail: 'acme-7b: licence unknown',
    });
  });

  it('refuses Llama above 700M monthly active users, and notes the attribution duty below', async () => {
    const big = await modelGatewayChecks(
      await startupWith({
        catalog: {
          llama: {
            provider: 'openai-compatible',
            model: 'llama3.1:8b',
            baseUrl: 'http://127.0.0.1:9/v1',
          },
        },
        licensing: { domicile: 'US', monthlyActiveUsers: 800_000_000 },
      }),
      { servers: [] },
    );
    expect(big[0]).toMatchObject({ ok: false });
    expect(big[0]!.detail).toContain('above 700,000,000 monthly active users');
    const small = await modelGatewayChecks(
      await startupWith({
        catalog: {
          llama: {
            provider: 'openai-compatible',
            model: 'llama3.1:8b',
            baseUrl: 'http://127.0.0.1:9/v1',
          },
        },
        licensing: { domicile: 'US', monthlyActiveUsers: 2_000 },
      }),
      { servers: [] },
    );
    expect(small[0]).toMatchObject({ ok: true });
    expect(small[0]!.fix).toContain('Built with Llama');
  });

  it('finds model servers running on this machine and says how to use them', async () => {
    const checks = await modelGatewayChecks(await startupWith({}), {
      servers: [
        { kind: 'ollama', baseUrl: upstream.baseUrl },
        { kind: 'vllm', baseUrl: 'http://127.0.0.1:9/v1' },
      ],
    });
    expect(checks).toEqual([
      {
        name: 'found ollama',
        ok: true,
        detail: `${upstream.baseUrl} serves stand-in`,
        fix: `To use it: PARLEY_MODEL_BASE_URL=${upstream.baseUrl} PARLEY_MODEL=stand-in parley start`,
      },
    ]);
  });

  it('the real CLI reports the refusal and exits non-zero', { timeout: 120_000 }, async () => {
    const folder = await mkdtemp(join(tmpdir(), 'parley-doctor-'));
    const file = join(folder, 'shop.yaml');
    await writeFile(
      file,
      [
        'business: { slug: eu-shop, name: EU Shop, timezone: Europe/Berlin, currency: EUR }',
        'models:',
        '  catalog:',
        '    scout: { provider: openai-compatible, model: meta-llama/Llama-4-Scout-17B-16E-Instruct, baseUrl: "http://127.0.0.1:9/v1" }',
        '  tasks: { customer-replies: scout }',
        '  licensing: { domicile: FR }',
        '',
      ].join('\n'),
    );
    const result = await run('node', ['bin/parley.js', 'doctor', '-c', file], {
      env: { ...process.env, PARLEY_DATA_DIR: folder, DATABASE_URL: '' },
    }).catch((error: { code: number; stdout: string }) => error);
    expect(result).toMatchObject({ code: 1 });
    expect(result.stdout).toMatch(/FAIL licence scout: .*Llama 4 Community License.*domicile FR/);
  });
});
