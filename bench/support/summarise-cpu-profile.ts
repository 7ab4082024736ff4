// Where a process spent its CPU time, from a V8 profile (`node --cpu-prof …`): the top functions by
// self time, the same by package (or file of ours), and by inclusive time. Idle time is left out.
//   npx tsx bench/support/summarise-cpu-profile.ts <file.cpuprofile> [from s] [to s] [rows]
// `from`/`to` keep the samples of that window (seconds from the profile's start), e.g. to leave
// out start-up and keep only a load phase.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url
    .replace(/.*node_modules\//, '')
    .replace(/^file:\/\/.*?\/(src|bench|test)\//, '$1/');
  return `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
}

function area(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  const ours = /\/((?:src|bench|test)\/.*)$/.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith('node:')) return url;
  if (url.startsWith('wasm')) return 'wasm';
  return functionName || '(native)';
}

export function summariseCpuProfile(
  profile: CpuProfile,
  window: { fromS: number; toS: number },
  rows: number,
): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const self = new Map<string, number>();
  const selfByArea = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let elapsed = 0;
  let busy = 0;
  const add = (map: Map<string, number>, key: string, micros: number) =>
    map.set(key, (map.get(key) ?? 0) + micros);
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    elapsed += micros;
    if (elapsed < window.fromS * 1e6 || elapsed > window.toS * 1e6) return;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    busy += micros;
    add(self, label(node), micros);
    add(selfByArea, area(node), micros);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const key = label(byId.get(at)!);
      if (!seen.has(key)) add(inclusive, key, micros);
      seen.add(key);
    }
  });
  const top = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, rows)
      .map(
        ([key, micros]) =>
          `${(micros / 1000).toFixed(0).padStart(8)} ms ${((100 * micros) / busy).toFixed(1).padStart(5)}%  ${key}`,
      )
      .join('\n');
  return [
    `busy (not idle): ${(busy / 1000).toFixed(0)} ms`,
    '== self time',
    top(self),
    '== self time by package or file',
    top(selfByArea),
    '== inclusive time',
    top(inclusive),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, from = '0', to = 'Infinity', rows = '40'] = process.argv.slice(2);
  if (!file) {
    process.stderr.write(
      'usage: summarise-cpu-profile.ts <file.cpuprofile> [from s] [to s] [rows]\n',
    );
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  process.stdout.write(
    `${summariseCpuProfile(profile, { fromS: Number(from), toS: Number(to) }, Number(rows))}\n`,
  );
}
