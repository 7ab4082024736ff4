// Models answer in Markdown. WhatsApp has its own inline marks (*bold*, _italic_, ~strike~,
// ```monospace```, `code`); Messenger and Instagram show plain text. Unknown marks stay as written.

const BOLD_MARK = '\u0001';

/** Markdown as WhatsApp formats it. */
export function markdownToWhatsApp(markdown: string): string {
  return convert(markdown, {
    bold: (text) => `${BOLD_MARK}${text}${BOLD_MARK}`,
    italic: (text) => `_${text}_`,
    strike: (text) => `~${text}~`,
    heading: (text) => `${BOLD_MARK}${text}${BOLD_MARK}`,
    fence: (code) => `\`\`\`${code}\`\`\``,
  }).replaceAll(BOLD_MARK, '*');
}

/** Markdown as plain text, for channels that show no formatting. */
export function markdownToPlainText(markdown: string): string {
  return convert(markdown, {
    bold: (text) => text,
    italic: (text) => text,
    strike: (text) => text,
    heading: (text) => text,
    fence: (code) => code,
  }).replace(/`([^`\n]+)`/g, '$1');
}

interface Marks {
  bold(text: string): string;
  italic(text: string): string;
  strike(text: string): string;
  heading(text: string): string;
  fence(code: string): string;
}

function convert(markdown: string, marks: Marks): string {
  // Code blocks are left alone inside: split them out first.
  const segments = markdown.split(/(```[^\n`]*\n[\s\S]*?```)/g);
  return segments
    .map((segment) => {
      const fence = /^```[^\n`]*\n([\s\S]*?)\n?```$/.exec(segment);
      return fence ? marks.fence(fence[1]!) : convertInline(segment, marks);
    })
    .join('');
}

function convertInline(text: string, marks: Marks): string {
  return text
    .split('\n')
    .map((line) => {
      const heading = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
      if (heading) return marks.heading(convertSpans(heading[1]!, marks));
      // "* item" bullets would read as an unclosed bold mark: make them "- item".
      return convertSpans(line.replace(/^(\s*)[*+]\s+/, '$1- '), marks);
    })
    .join('\n');
}

function convertSpans(line: string, marks: Marks): string {
  return line
    .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (_whole, _alt: string, url: string) => url)
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_whole, label: string, url: string) =>
      label === url ? url : `${label} (${url})`,
    )
    .replace(/\*\*(?=\S)([^*]+?)\*\*/g, (_whole, inner: string) => marks.bold(inner))
    .replace(/__(?=\S)([^_]+?)__/g, (_whole, inner: string) => marks.bold(inner))
    .replace(/~~(?=\S)([^~]+?)~~/g, (_whole, inner: string) => marks.strike(inner))
    .replace(
      /(^|[^\w*])\*(?=\S)([^*\n]+?)\*(?!\w)/g,
      (_whole, before: string, inner: string) => `${before}${marks.italic(inner)}`,
    )
    .replace(
      /(^|[^\w_])_(?=\S)([^_\n]+?)_(?!\w)/g,
      (_whole, before: string, inner: string) => `${before}${marks.italic(inner)}`,
    );
}
