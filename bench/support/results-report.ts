import { readFile, writeFile } from 'node:fs/promises';

export interface ResultSection {
  title: string;
  /** Sentences shown above the table. */
  lead?: string;
  columns: string[];
  rows: string[][];
  /** Lines shown under the table. */
  notes?: string[];
}

export const RESULTS_START = '<!-- bench:results:start -->';
export const RESULTS_END = '<!-- bench:results:end -->';

export function renderSection(section: ResultSection): string {
  const lines = [`### ${section.title}`, ''];
  if (section.lead) lines.push(section.lead, '');
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  lines.push(`| ${section.columns.map(escape).join(' | ')} |`);
  lines.push(`| ${section.columns.map((_, index) => (index === 0 ? '---' : '--:')).join(' | ')} |`);
  for (const row of section.rows) lines.push(`| ${row.map(escape).join(' | ')} |`);
  if (section.notes && section.notes.length > 0) lines.push('', ...section.notes);
  return lines.join('\n');
}

/**
 * Replaces what lies between the results markers, keeping the hand-written text around them; a
 * file without markers gets them appended.
 */
export async function writeResultsInto(path: string, results: string): Promise<void> {
  const current = await readFile(path, 'utf8').catch(() => '');
  const block = `${RESULTS_START}\n\n${results.trim()}\n\n${RESULTS_END}`;
  const start = current.indexOf(RESULTS_START);
  const end = current.indexOf(RESULTS_END);
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${block}${current.slice(end + RESULTS_END.length)}`
      : `${current.trimEnd()}\n\n## Results\n\n${block}\n`;
  await writeFile(path, next);
}
