import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './support/cleanup.js';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

export interface StartUpRun {
  /** Spawn to the first 200 from `/readyz`. */
  readyMs: number;
  /** What `parley start` itself printed ("ready in N ms"): its time after Node and tsx loaded. */
  reportedMs: number | null;
}

/** The console is built once up front, so no start measures a Vite build. */
export function ensureConsoleBuilt(progress: (line: string) => void): void {
  const built =
    existsSync(`${PACKAGE_ROOT}dist/web/console/index.html`) &&
    existsSync(`${PACKAGE_ROOT}dist/web/widget.js`);
  if (built) return;
  progress('building the web console first (npm run build:web)');
  const result = spawnSync('npm', ['run', '--silent', 'build:web'], {
    cwd: PACKAGE_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error('npm run build:web failed; run it to see why');
}

/**
 * Spawns `node bin/parley.js start` as a user would, with only the given Parley variables set, and
 * waits for `/readyz` to answer 200. The child then gets SIGTERM (a clean shutdown, so the embedded
 * database is closed properly before the next start), and SIGKILL if it lingers.
 */
export async function measureOneStart(env: Record<string, string>): Promise<StartUpRun> {
  const port = await findFreePort();
  const childEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    // The benchmark decides storage, port and config; nothing leaks in from the caller's shell.
    if (value === undefined || /^(PARLEY_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$)/.test(name)) {
      continue;
    }
    childEnv[name] = value;
  }
  Object.assign(childEnv, env, { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });

  const started = performance.now();
  const child = spawn(process.execPath, ['bin/parley.js', 'start'], {
    cwd: PACKAGE_ROOT,
    env: childEnv,
    // Its own process group: a stop reaches anything the CLI spawned too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stop = onCleanup(() => stopChild(child, exited));
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  try {
    let childExit: number | null | undefined;
    void exited.then((code) => (childExit = code));
    while (true) {
      if (childExit !== undefined) {
        throw new Error(`parley start exited (code ${childExit}) before ready:\n${output}`);
      }
      if (performance.now() - started > READY_TIMEOUT_MS) {
        throw new Error(`parley start was not ready within ${READY_TIMEOUT_MS} ms:\n${output}`);
      }
      if (await answersReady(port)) break;
      await sleep(10);
    }
    const readyMs = performance.now() - started;
    // The banner is written just after listen(); give it a moment to arrive.
    for (let wait = 0; wait < 50 && !/ready in \d+ ms/.test(output); wait++) await sleep(10);
    const reported = /ready in (\d+) ms/.exec(output);
    return { readyMs, reportedMs: reported ? Number(reported[1]) : null };
  } finally {
    await stop();
  }
}

async function answersReady(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`, {
      signal: AbortSignal.timeout(2_000),
    });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGTERM');
  const outcome = await Promise.race([exited.then(() => 'exited'), sleep(10_000, 'timeout')]);
  if (outcome === 'timeout') {
    signalGroup('SIGKILL');
    await exited;
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface StartUpResult {
  /** The very first start: an empty data folder or an empty database (migrations, demo data). */
  first: StartUpRun;
  /** Later starts over the data the first one created. */
  again: StartUpRun[];
}

/**
 * First start once, then `runs` starts over the same data: PGlite in a data folder, or PostgreSQL
 * (`databaseUrl`) with a data folder for the demo owner's password file.
 */
export async function measureStartUps(
  dataDir: string,
  databaseUrl: string | null,
  runs: number,
): Promise<StartUpResult> {
  const env: Record<string, string> = { PARLEY_DATA_DIR: dataDir };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const first = await measureOneStart(env);
  const again: StartUpRun[] = [];
  for (let run = 0; run < runs; run++) again.push(await measureOneStart(env));
  return { first, again };
}
