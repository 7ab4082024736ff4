import type { LeadAnswer, LeadSettings, LeadWithContact } from '../../core/leads.js';

type Cell = string | number | boolean | null | undefined;

/**
 * Leads as CSV (RFC 4180: CRLF rows, fields with a comma, quote or line break quoted, quotes
 * doubled), one column per question in the business's order, then answers to questions the file
 * no longer lists, so an export never drops stored data. Text that a spreadsheet would run as a
 * formula (starting with =, +, -, @, tab or CR) is prefixed with an apostrophe.
 */
export function leadsCsv(leads: readonly LeadWithContact[], settings: LeadSettings | null): string {
  const questionIds = settings?.questions.map((question) => question.id) ?? [];
  const known = new Set(questionIds);
  const extra = [
    ...new Set(leads.flatMap((lead) => Object.keys(lead.answers).filter((id) => !known.has(id)))),
  ].sort();
  const answerColumns = [...questionIds, ...extra];
  const header = [
    'lead_id',
    'stage',
    'score',
    'contact_name',
    'contact_phone',
    'contact_email',
    'conversation_id',
    'created_at',
    'updated_at',
    ...answerColumns,
  ];
  const rows = leads.map((lead) => [
    lead.id,
    lead.stage,
    lead.score,
    lead.contact.displayName,
    lead.contact.phone,
    lead.contact.email,
    lead.conversationId,
    lead.createdAt.toISOString(),
    lead.updatedAt.toISOString(),
    ...answerColumns.map((id): LeadAnswer | undefined => lead.answers[id]),
  ]);
  // The byte order mark lets spreadsheet programs read the file as UTF-8.
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** One field: numbers and flags as written, text guarded against formulas and quoted as needed. */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}
