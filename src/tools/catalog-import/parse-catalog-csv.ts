import { parse } from 'csv-parse/sync';
import { ParleyError } from '../../core/errors.js';
import { minorDigits } from '../../core/money.js';
import type { ProductInput } from '../../core/store.js';
import { locateColumns, type CatalogColumn } from './catalog-columns.js';

export interface ImportIssue {
  /** 1-based line in the file where the row starts. */
  line: number;
  handle: string | null;
  message: string;
}

export interface ParsedCatalog {
  products: ProductInput[];
  /** Rows that could not be read; their products are left out whole (never half-written). */
  issues: ImportIssue[];
  /** Image-only rows seen (Shopify lists extra images as rows of their own). */
  imageRows: number;
}

interface Row {
  line: number;
  cell(column: CatalogColumn): string;
  has(column: CatalogColumn): boolean;
}

interface Draft {
  product: ProductInput;
  firstLine: number;
  broken: boolean;
  /** Option names come on the product's first row only; later rows give just the values. */
  optionNames: [string, string, string];
}

const MAX_PRODUCTS = 50_000;
export const HANDLE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Reads a Shopify product CSV (current or legacy headers) or a plain CSV with the same kind of
 * columns: one row per variant grouped by handle, product fields on the handle's first row, up to
 * three options, image-only rows. A row that cannot be read is reported with its line and reason,
 * and its whole product is left out so nothing is half-imported; the other products are kept.
 */
export function parseCatalogCsv(text: string, currency: string): ParsedCatalog {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new ParleyError(
      'validation_failed',
      `The CSV cannot be read${line ? ` (line ${line})` : ''}: ${(error as Error).message}. Export it again from your shop system, or fix the quoting at that line.`,
      { cause: error },
    );
  }
  const [head, ...body] = records;
  if (!head) return { products: [], issues: [], imageRows: 0 };
  const columns = locateColumns(head.record);
  if (columns.handle === undefined && columns.title === undefined) {
    throw new ParleyError(
      'validation_failed',
      'The CSV has neither a "URL handle"/"Handle" nor a "Title" column: it does not look like a product export.',
    );
  }
  const issues: ImportIssue[] = [];
  const drafts = new Map<string, Draft>();
  let imageRows = 0;
  let previousEnd = head.info.lines;
  for (const { record, info } of body) {
    const row: Row = {
      line: previousEnd + 1,
      cell: (column) => {
        const index = columns[column];
        return index === undefined ? '' : (record[index] ?? '').trim();
      },
      has: (column) => columns[column] !== undefined,
    };
    previousEnd = info.lines;
    const problem = (handle: string | null, message: string) => {
      issues.push({ line: row.line, handle, message });
      if (handle) {
        const draft = drafts.get(handle);
        if (draft) draft.broken = true;
      }
    };
    const handle = row.cell('handle').toLowerCase() || slugify(row.cell('title'));
    if (!handle) {
      problem(null, 'the row has no handle and no title');
      continue;
    }
    if (!HANDLE.test(handle)) {
      problem(null, `"${handle}" is not a handle (lower-case letters, digits and dashes)`);
      continue;
    }
    let draft = drafts.get(handle);
    if (!draft) {
      if (drafts.size >= MAX_PRODUCTS) {
        problem(handle, `more than ${MAX_PRODUCTS} products in one file; split it`);
        continue;
      }
      const title = row.cell('title');
      if (!title) {
        problem(handle, 'the first row of a product must have its Title');
        drafts.set(handle, brokenDraft(handle, row.line));
        continue;
      }
      const status = productStatus(row);
      if (typeof status !== 'string') {
        problem(handle, status.error);
        drafts.set(handle, brokenDraft(handle, row.line));
        continue;
      }
      draft = {
        firstLine: row.line,
        broken: false,
        optionNames: [row.cell('option1Name'), row.cell('option2Name'), row.cell('option3Name')],
        product: {
          handle,
          title,
          description: htmlToText(row.cell('description')),
          category: row.cell('type') || lastSegment(row.cell('productCategory')) || null,
          tags: row
            .cell('tags')
            .split(',')
            .map((tag) => tag.trim())
            .filter(Boolean),
          status,
          variants: [],
        },
      };
      drafts.set(handle, draft);
    }
    const hasVariant =
      row.cell('price') !== '' || row.cell('sku') !== '' || row.cell('option1Value') !== '';
    if (!hasVariant) {
      if (row.cell('image') !== '' || row.cell('variantImage') !== '') imageRows++;
      continue;
    }
    const variant = readVariant(row, currency, draft.optionNames);
    if ('error' in variant) {
      problem(handle, variant.error);
      continue;
    }
    if (draft.product.variants.some((existing) => existing.title === variant.title)) {
      problem(handle, `a second variant "${variant.title}" (options must differ between variants)`);
      continue;
    }
    draft.product.variants.push(variant);
  }
  const products: ProductInput[] = [];
  for (const draft of drafts.values()) {
    if (draft.broken) continue;
    if (draft.product.variants.length === 0) {
      issues.push({
        line: draft.firstLine,
        handle: draft.product.handle,
        message: 'the product has no variant row with a price',
      });
      continue;
    }
    products.push(draft.product);
  }
  issues.sort((a, b) => a.line - b.line);
  return { products, issues, imageRows };
}

function readVariant(
  row: Row,
  currency: string,
  optionNames: readonly string[],
): ProductInput['variants'][number] | { error: string } {
  const price = toMinor(row.cell('price'), currency);
  if (price === null) return { error: `the price "${row.cell('price')}" is not an amount` };
  const compareText = row.cell('compareAt');
  const compareAt = compareText === '' ? null : toMinor(compareText, currency);
  if (compareText !== '' && compareAt === null) {
    return { error: `the compare-at price "${compareText}" is not an amount` };
  }
  const options: Record<string, string> = {};
  const values: string[] = [];
  for (const index of [1, 2, 3] as const) {
    const name = row.cell(`option${index}Name`) || optionNames[index - 1] || '';
    const value = row.cell(`option${index}Value`);
    if (value === '' || value === 'Default Title') continue;
    options[(name || `option ${index}`).toLowerCase()] = value;
    values.push(value);
  }
  // Untracked stock (no tracker) or "continue selling" means stock never stops a sale.
  const tracker = row.cell('tracker').toLowerCase();
  const policy = row.cell('policy').toLowerCase();
  const stockText = row.cell('stock');
  let stock: number | null = null;
  // Shopify leaves "Inventory tracker" blank for variants it does not count.
  const untracked = row.has('tracker') && ['', 'false', 'no'].includes(tracker);
  if (stockText !== '' && !untracked && policy !== 'continue' && policy !== 'true') {
    if (!/^-?\d+$/.test(stockText))
      return { error: `the stock "${stockText}" is not a whole number` };
    stock = Math.max(0, Number(stockText));
  }
  return {
    title: values.length === 0 ? 'Default' : values.join(' / '),
    sku: row.cell('sku') || null,
    options,
    priceMinor: price,
    compareAtMinor: compareAt !== null && compareAt > price ? compareAt : null,
    stock,
  };
}

function productStatus(row: Row): ProductInput['status'] | { error: string } {
  const status = row.cell('status').toLowerCase();
  if (status === '') {
    // Legacy exports without Status: Published FALSE means not on sale.
    return row.cell('published').toLowerCase() === 'false' ? 'draft' : 'active';
  }
  if (status === 'active' || status === 'draft' || status === 'archived') return status;
  return { error: `the status "${row.cell('status')}" is not active, draft or archived` };
}

/** "1,149.00", "1149", "£24.99" → minor units; null when it is not an amount. */
export function toMinor(text: string, currency: string): number | null {
  const cleaned = text.replace(/[^\d.,-]/g, '').replace(/,(?=\d{3}\b)/g, '');
  if (!/^\d+(?:[.,]\d+)?$/.test(cleaned)) return null;
  const digits = minorDigits(currency);
  const value = Number(cleaned.replace(',', '.'));
  const minor = Math.round(value * 10 ** digits);
  return minor <= 2_147_483_647 ? minor : null;
}

export function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/li|\/h\d)\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
}

function lastSegment(category: string): string {
  return category.split('>').at(-1)?.trim() ?? '';
}

function slugify(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function brokenDraft(handle: string, line: number): Draft {
  return {
    product: emptyProduct(handle),
    firstLine: line,
    broken: true,
    optionNames: ['', '', ''],
  };
}

function emptyProduct(handle: string): ProductInput {
  return {
    handle,
    title: '',
    description: '',
    category: null,
    tags: [],
    status: 'active',
    variants: [],
  };
}
