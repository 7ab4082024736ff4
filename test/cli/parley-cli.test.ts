import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_CONFIG_PATH } from '../../src/cli/load-startup.js';
import { loadBusinessConfig } from '../../src/config/load-business-config.js';
import { readServerSettings } from '../../src/config/server-settings.js';
import { startParley } from '../../src/server/start-parley.js';
import { freePort, runCli, spawnCli, type CliProcess } from './support/run-cli.js';

// The first command over a fresh data folder creates the embedded database: seconds, not ms.
const CLI_TIMEOUT_MS = 120_000;

describe('the parley command line', () => {
  let dataDir: string;
  const children: CliProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
  });
  afterAll(async () => {
    for (const child of children) {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill('SIGKILL');
        await child.exited;
      }
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Starts Parley in this process over the CLI's data folder, as `parley start` would. */
  async function startInProcess() {
    return startParley({
      settings: readServerSettings({ PORT: '0', PARLEY_DATA_DIR: dataDir }),
      config: await loadBusinessConfig(DEMO_CONFIG_PATH, {}),
      demo: true,
      logger: pino({ level: 'silent' }),
      model: null,
      listen: false,
    });
  }

  test(
    'migrate creates the embedded database and exits 0',
    async () => {
      const result = await runCli(['migrate'], { PARLEY_DATA_DIR: dataDir });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Database is up to date');
      // Running it again over the migrated database is a no-op that still succeeds.
      expect((await runCli(['migrate'], { PARLEY_DATA_DIR: dataDir })).code).toBe(0);
    },
    CLI_TIMEOUT_MS,
  );

  test(
    'user create prints a password that signs in with the chosen role',
    async () => {
      // The business exists once Parley has started with its config.
      await (await startInProcess()).close();

      const result = await runCli(
        ['user', 'create', '--email', 'staff@x.test', '--role', 'staff'],
        {
          PARLEY_DATA_DIR: dataDir,
        },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Created staff staff@x.test for Northside Cycles');
      const password = /^Password: (\S+)$/m.exec(result.stdout)?.[1];
      expect(password).toBeDefined();

      const parley = await startInProcess();
      try {
        const login = await parley.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'staff@x.test', password },
        });
        expect(login.statusCode).toBe(200);
        expect(login.json()).toMatchObject({ user: { email: 'staff@x.test', role: 'staff' } });
        const wrong = await parley.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'staff@x.test', password: `${password}x` },
        });
        expect(wrong.statusCode).toBe(401);
      } finally {
        await parley.close();
      }
    },
    CLI_TIMEOUT_MS,
  );

  test('user create with an unknown role exits 1 with a clear message', async () => {
    const result = await runCli(['user', 'create', '--email', 'boss@x.test', '--role', 'boss'], {
      PARLEY_DATA_DIR: dataDir,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--role must be owner or staff, not "boss"');
    // An expected mistake prints its message, not a stack trace.
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test(
    'doctor with the demo config and no model passes and mentions menus',
    async () => {
      const result = await runCli(['doctor'], { PARLEY_DATA_DIR: dataDir });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^ok {3}configuration: .*Northside Cycles/m);
      expect(result.stdout).toMatch(/^ok {3}database: /m);
      expect(result.stdout).toMatch(/^ok {3}model: .*menus/m);
      expect(result.stdout).not.toContain('FAIL');
    },
    CLI_TIMEOUT_MS,
  );

  test('doctor with a bad business file exits 1 and names the key', async () => {
    const demo = await readFile(DEMO_CONFIG_PATH, 'utf8');
    expect(demo).toContain('timezone: Europe/London');
    const badConfig = join(dataDir, 'bad-timezone.yaml');
    await writeFile(badConfig, demo.replace('timezone: Europe/London', 'timezone: Mars/Olympus'));

    const result = await runCli(['doctor'], { PARLEY_DATA_DIR: dataDir, PARLEY_CONFIG: badConfig });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL configuration: /m);
    expect(result.stdout).toContain('business.timezone');
    expect(result.stdout).toContain('Mars/Olympus');
    expect(result.stdout).toMatch(/^ {5}fix: /m);
  });

  test(
    'doctor with an unreachable model server fails the model check with a fix',
    async () => {
      const closedPort = await freePort();
      const baseUrl = `http://127.0.0.1:${closedPort}/v1`;
      const result = await runCli(['doctor'], {
        PARLEY_DATA_DIR: dataDir,
        PARLEY_MODEL_BASE_URL: baseUrl,
        PARLEY_MODEL: 'qwen2.5:7b-instruct',
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^ok {3}configuration: /m);
      const modelLine = /^FAIL model: (.*)$/m.exec(result.stdout)?.[1];
      expect(modelLine).toBeDefined();
      // The failure says which server did not answer.
      expect(modelLine).toContain(baseUrl);
      expect(result.stdout).toMatch(/^FAIL model: .*\n {5}fix: .*PARLEY_MODEL_BASE_URL/m);
    },
    CLI_TIMEOUT_MS,
  );

  test(
    'start prints the console, login and demo URLs, serves /healthz, and stops on SIGTERM',
    async () => {
      const port = await freePort();
      const child = spawnCli(['start'], { PARLEY_DATA_DIR: dataDir, PORT: String(port) });
      children.push(child);
      const startedOrExited = await Promise.race([
        waitForOutput(child, /Model: .*\n/, CLI_TIMEOUT_MS - 10_000).then(() => 'started'),
        child.exited.then((code) => `exited with ${code}`),
      ]);
      expect(startedOrExited, child.stderr()).toBe('started');

      const stdout = child.stdout();
      const publicUrl = `http://localhost:${port}`;
      expect(stdout).toContain(`Console:    ${publicUrl}/`);
      expect(stdout).toContain(`Demo chat:  ${publicUrl}/demo`);
      const login = /Login: +(\S+) \/ (\S+)/.exec(stdout);
      expect(login?.[1]).toBe('owner@demo.parley');

      const base = `http://127.0.0.1:${port}`;
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      // The printed login works.
      const signIn = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: login![1], password: login![2] }),
      });
      expect(signIn.status).toBe(200);
      const demo = await fetch(`${base}/demo`);
      expect(demo.status).toBe(200);
      expect(await demo.text()).toContain('widget.js');

      child.process.kill('SIGTERM');
      expect(await child.exited).toBe(0);
      await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    },
    CLI_TIMEOUT_MS,
  );
});

async function waitForOutput(child: CliProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(child.stdout())) {
    if (Date.now() > deadline) {
      throw new Error(`no ${pattern} in output:\n${child.stdout()}\n${child.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
