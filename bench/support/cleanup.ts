/**
 * Things a benchmark must undo even when it crashes or is interrupted: child processes, temporary
 * folders, benchmark databases. Each is undone once, newest first.
 */
const pending: Array<() => Promise<void>> = [];

export function onCleanup(undo: () => Promise<void>): () => Promise<void> {
  let done = false;
  const once = async () => {
    if (done) return;
    done = true;
    const index = pending.indexOf(once);
    if (index >= 0) pending.splice(index, 1);
    await undo();
  };
  pending.push(once);
  return once;
}

export async function cleanUpEverything(): Promise<void> {
  while (pending.length > 0) {
    const undo = pending[pending.length - 1]!;
    try {
      await undo();
    } catch (error) {
      // `once` has already left the list, so a failing undo cannot loop forever.
      process.stderr.write(`cleanup failed: ${(error as Error).message}\n`);
    }
  }
}

/** Ctrl-C during a run still drops the benchmark databases and stops child processes. */
export function cleanUpOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: cleaning up\n`);
      void cleanUpEverything().finally(() => process.exit(130));
    });
  }
}
