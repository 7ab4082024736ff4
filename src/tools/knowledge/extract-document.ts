import { convert } from 'html-to-text';
import mammoth from 'mammoth';
import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import { ParleyError } from '../../core/errors.js';
import type { DocumentFormat } from '../../core/knowledge.js';

/** A document's text as headings and paragraphs, in reading order. */
export type DocumentBlock =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string; page: number | null };

export interface ExtractedDocument {
  /** The document's own title (PDF metadata, HTML <title>, first top heading), if it has one. */
  title: string | null;
  blocks: DocumentBlock[];
}

const CONTENT_TYPES: Record<string, DocumentFormat> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/plain': 'text',
};

const EXTENSIONS: Record<string, DocumentFormat> = {
  pdf: 'pdf',
  docx: 'docx',
  html: 'html',
  htm: 'html',
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  text: 'text',
};

export const SUPPORTED_TYPES =
  'PDF (application/pdf), DOCX (application/vnd.openxmlformats-officedocument.wordprocessingml.document), HTML (text/html), Markdown (text/markdown) or plain text (text/plain)';

/**
 * The format from the upload's content type, or from the file name's extension when the type
 * says nothing (application/octet-stream, as browsers send for .md files).
 */
export function detectFormat(contentType: string | undefined, fileName: string): DocumentFormat {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const byType = CONTENT_TYPES[type];
  if (byType) return byType;
  if (type === '' || type === 'application/octet-stream') {
    const extension = fileName.toLowerCase().match(/\.([a-z]+)$/)?.[1] ?? '';
    const byExtension = EXTENSIONS[extension];
    if (byExtension) return byExtension;
  }
  throw new ParleyError(
    'unsupported_media_type',
    `Parley cannot read ${type ? `"${type}"` : 'this file'} ("${fileName}"). Upload ${SUPPORTED_TYPES}.`,
  );
}

/** Reads the document's text; a file that is not what its type says is refused with a reason. */
export async function extractDocument(
  bytes: Uint8Array,
  format: DocumentFormat,
  fileName: string,
): Promise<ExtractedDocument> {
  if (bytes.length === 0) {
    throw new ParleyError('unprocessable', `"${fileName}" is empty. Upload the file again.`);
  }
  switch (format) {
    case 'pdf':
      return extractPdf(bytes, fileName);
    case 'docx':
      return extractDocx(bytes, fileName);
    case 'html':
      return fromHtml(decodeText(bytes, fileName));
    case 'markdown':
      return fromMarkdown(decodeText(bytes, fileName));
    case 'text':
      return fromPlainText(decodeText(bytes, fileName), null);
  }
}

async function extractPdf(bytes: Uint8Array, fileName: string): Promise<ExtractedDocument> {
  if (!startsWith(bytes, '%PDF-')) {
    throw unreadable(fileName, 'it is not a PDF file (it does not start with %PDF-)');
  }
  let pages: string[];
  let title: string | null = null;
  try {
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
    try {
      ({ text: pages } = await extractText(pdf, { mergePages: false }));
      const meta = await getMeta(pdf).catch(() => null);
      const metaTitle: unknown = meta?.info?.Title;
      if (typeof metaTitle === 'string' && metaTitle.trim()) title = metaTitle.trim();
    } finally {
      await pdf.loadingTask.destroy();
    }
  } catch (error) {
    throw unreadable(fileName, `the PDF is damaged (${(error as Error).message})`);
  }
  const blocks: DocumentBlock[] = [];
  pages.forEach((pageText, index) => {
    for (const paragraph of paragraphsOf(pageText)) {
      blocks.push({ kind: 'paragraph', text: paragraph, page: index + 1 });
    }
  });
  if (blocks.length === 0) {
    throw unreadable(
      fileName,
      'the PDF holds no text (a scan?). Upload a PDF with selectable text, or its text as a .txt file',
    );
  }
  return { title, blocks };
}

async function extractDocx(bytes: Uint8Array, fileName: string): Promise<ExtractedDocument> {
  if (!startsWith(bytes, 'PK\u0003\u0004')) {
    throw unreadable(fileName, 'it is not a DOCX file (a DOCX is a zip archive)');
  }
  let html: string;
  try {
    ({ value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }));
  } catch (error) {
    throw unreadable(fileName, `the DOCX is damaged (${(error as Error).message})`);
  }
  return fromHtml(html);
}

/** HTML to Markdown-like text (headings kept as `#` lines), then read as Markdown. */
export function fromHtml(html: string): ExtractedDocument {
  const title = html.match(/<title[^>]*>([\s\S]*?)<\/title>/i)?.[1]?.trim() || null;
  const headingFormatters = Object.fromEntries(
    [1, 2, 3, 4, 5, 6].map((level) => [
      `h${level}`,
      (
        element: { children?: unknown[] },
        walk: (nodes: unknown[] | undefined, builder: unknown) => void,
        builder: {
          openBlock(options: object): void;
          addLiteral(text: string): void;
          closeBlock(options: object): void;
        },
      ) => {
        builder.openBlock({ leadingLineBreaks: 2 });
        builder.addLiteral(`${'#'.repeat(level)} `);
        walk(element.children, builder);
        builder.closeBlock({ trailingLineBreaks: 2 });
      },
    ]),
  );
  const text = convert(html, {
    wordwrap: false,
    formatters: headingFormatters as never,
    selectors: [
      ...[1, 2, 3, 4, 5, 6].map((level) => ({ selector: `h${level}`, format: `h${level}` })),
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'nav', format: 'skip' },
    ],
  });
  const extracted = fromMarkdown(text);
  return { ...extracted, title: decodeEntities(title) ?? extracted.title };
}

/** ATX (`#`) and setext (`===`, `---`) headings; paragraphs between blank lines. */
export function fromMarkdown(markdown: string): ExtractedDocument {
  const blocks: DocumentBlock[] = [];
  let title: string | null = null;
  let paragraph: string[] = [];
  let inFence = false;
  const flush = () => {
    const text = cleanInline(paragraph.join('\n'));
    if (text) blocks.push({ kind: 'paragraph', text, page: null });
    paragraph = [];
  };
  const heading = (level: number, raw: string) => {
    const text = cleanInline(raw.replace(/\s+#+\s*$/, ''));
    if (!text) return;
    if (level === 1 && title === null) title = text;
    blocks.push({ kind: 'heading', level, text });
  };
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      paragraph.push(line);
      continue;
    }
    const atx = line.match(/^\s{0,3}(#{1,6})\s+(.*)$/);
    if (atx) {
      flush();
      heading(atx[1]!.length, atx[2]!);
      continue;
    }
    if (/^\s{0,3}(=+|-+)\s*$/.test(line) && paragraph.length === 1) {
      const level = line.trim().startsWith('=') ? 1 : 2;
      const text = paragraph[0]!;
      paragraph = [];
      heading(level, text);
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return { title, blocks };
}

export function fromPlainText(text: string, title: string | null): ExtractedDocument {
  return {
    title,
    blocks: paragraphsOf(text).map((paragraph) => ({
      kind: 'paragraph',
      text: paragraph,
      page: null,
    })),
  };
}

function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) =>
      paragraph
        .replace(/[ \t]+/g, ' ')
        .replace(/\s*\n\s*/g, '\n')
        .trim(),
    )
    .filter((paragraph) => paragraph.length > 0);
}

/** Emphasis, inline code and link syntax removed; the words stay. */
function cleanInline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

function decodeText(bytes: Uint8Array, fileName: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw unreadable(fileName, 'it is not UTF-8 text. Save it as UTF-8, or upload the PDF or DOCX');
  }
  if (text.includes('\u0000')) {
    throw unreadable(fileName, 'it holds binary data, not text. Check the file and its type');
  }
  return text.replace(/^\uFEFF/, '');
}

function decodeEntities(text: string | null): string | null {
  if (!text) return null;
  return convert(text, { wordwrap: false }).trim() || null;
}

function startsWith(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let index = 0; index < prefix.length; index++) {
    if (bytes[index] !== prefix.charCodeAt(index)) return false;
  }
  return true;
}

function unreadable(fileName: string, reason: string): ParleyError {
  return new ParleyError('unprocessable', `Parley cannot read "${fileName}": ${reason}.`);
}
