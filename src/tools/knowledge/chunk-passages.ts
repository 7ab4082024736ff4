import type { PassageInput } from '../../core/knowledge.js';
import type { DocumentBlock } from './extract-document.js';

export interface ChunkOptions {
  /** A passage closes once it holds about this many characters. */
  targetChars: number;
  /** No paragraph piece is longer: longer paragraphs are cut between sentences. */
  maxPieceChars: number;
  /** The last piece of a passage opens the next one (same section) when at most this long. */
  overlapChars: number;
}

export const DEFAULT_CHUNKING: ChunkOptions = {
  targetChars: 900,
  maxPieceChars: 700,
  overlapChars: 350,
};

/**
 * Cuts a document into passages: a heading starts a new passage (its path becomes the section,
 * "Returns › Refunds"); paragraphs under one heading are gathered up to the target size; a
 * passage starts with the end of the one before, so an answer that straddles the cut is found
 * whole in one of them. A PDF's passages never straddle pages, so each cites one page.
 */
export function chunkPassages(
  blocks: readonly DocumentBlock[],
  options: ChunkOptions = DEFAULT_CHUNKING,
): PassageInput[] {
  const passages: PassageInput[] = [];
  const headings: Array<{ level: number; text: string }> = [];
  let pieces: string[] = [];
  let size = 0;
  let page: number | null = null;
  let fresh = 0; // pieces in the passage that are not overlap from the one before

  const section = () => headings.map((heading) => heading.text).join(' › ');
  const emit = () => {
    if (fresh > 0) passages.push({ section: section(), page, text: pieces.join('\n\n') });
  };
  const reset = () => {
    pieces = [];
    size = 0;
    fresh = 0;
    page = null;
  };

  for (const block of blocks) {
    if (block.kind === 'heading') {
      emit();
      reset();
      while (headings.length > 0 && headings[headings.length - 1]!.level >= block.level) {
        headings.pop();
      }
      headings.push({ level: block.level, text: block.text });
      continue;
    }
    for (const piece of splitLong(block.text, options.maxPieceChars)) {
      // A page of its own: a citation's page number is then the passage's only page.
      const newPage = block.page !== null && page !== null && block.page !== page;
      if (fresh > 0 && (newPage || size + piece.length > options.targetChars)) {
        emit();
        const last = pieces[pieces.length - 1]!;
        const carried = newPage
          ? ''
          : last.length <= options.overlapChars
            ? last
            : lastSentences(last, options);
        pieces = carried ? [carried] : [];
        size = carried.length;
        fresh = 0;
        page = block.page;
      }
      if (pieces.length === 0 || page === null) page = block.page;
      pieces.push(piece);
      size += piece.length;
      fresh++;
    }
  }
  emit();
  return passages;
}

/** A paragraph longer than `max`, cut between sentences (or words, for a sentence that long). */
function splitLong(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const sentences = text.match(/[^.!?\n]+(?:[.!?]+["')\]]*|\n|$)\s*/g) ?? [text];
  const pieces: string[] = [];
  let current = '';
  for (const sentence of sentences.flatMap((s) => (s.length > max ? splitWords(s, max) : [s]))) {
    if (current && current.length + sentence.length > max) {
      pieces.push(current.trim());
      current = '';
    }
    current += sentence;
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}

function splitWords(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const word of text.split(/(\s+)/)) {
    if (current && current.length + word.length > max) {
      pieces.push(current);
      current = '';
    }
    current += word;
  }
  if (current) pieces.push(current);
  return pieces;
}

function lastSentences(text: string, options: ChunkOptions): string {
  const sentences = text.match(/[^.!?\n]+(?:[.!?]+["')\]]*|\n|$)\s*/g) ?? [];
  let carried = '';
  for (let index = sentences.length - 1; index >= 0; index--) {
    const next = sentences[index]! + carried;
    if (next.trim().length > options.overlapChars) break;
    carried = next;
  }
  return carried.trim();
}
