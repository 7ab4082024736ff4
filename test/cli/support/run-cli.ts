import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The environment a user would run `parley` with: this process's, minus every variable Parley
 * reads (a developer's DATABASE_URL or PARLEY_MODEL must not leak into the test), plus `env`.
 */
export function cliEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(PARLEY_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$)/.test(name)) continue;
    clean[name] = value;
  }
  return { ...clean, LOG_LEVEL: 'warn', ...env };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/parley.js <args>` to completion. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawnCli(args, env);
  return new Promise((resolve, reject) => {
    child.process.on('error', reject);
    child.process.on('close', (code) =>
      resolve({ code, stdout: child.stdout(), stderr: child.stderr() }),
    );
  });
}

export interface CliProcess {
  process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Starts `node bin/parley.js <args>` and collects its output as it comes. */
export function spawnCli(args: string[], env: Record<string, string>): CliProcess {
  const child = spawn(process.execPath, ['bin/parley.js', ...args], {
    cwd: PACKAGE_ROOT,
    env: cliEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** A TCP port nothing listens on right now (the OS picked it, then it was released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
