import type { FaqRecord } from '../core/catalog.js';
import type { KnowledgeRepository } from '../core/store.js';

/**
 * Brings the business file's FAQ into the database without touching the owner's work (see
 * docs/knowledge.md, "FAQ entries"): file entries are added, updated and removed as the file
 * says; an entry the owner created or edited in the console is never written, and one the owner
 * deleted stays deleted while the file still lists it. Nothing is written when nothing changed.
 */
export async function syncFileFaq(
  knowledge: KnowledgeRepository,
  businessId: string,
  fileFaq: ReadonlyArray<{ question: string; answer: string }>,
): Promise<void> {
  const records = await knowledge.listFaqRecords(businessId);
  // Stored rows by the file question they stand for; several when the file repeats a question.
  const byFileQuestion = new Map<string, FaqRecord[]>();
  for (const record of records) {
    const key = fileKey(record);
    if (key === null) continue;
    byFileQuestion.set(key, [...(byFileQuestion.get(key) ?? []), record]);
  }
  const consoleQuestions = new Set(
    records
      .filter((record) => fileKey(record) === null && record.deletedAt === null)
      .map((record) => normalise(record.question)),
  );

  const matched = new Set<string>();
  const insert: Array<{ question: string; answer: string; position: number }> = [];
  const update: Array<{ id: string; answer: string; position: number; fileQuestion: string }> = [];
  fileFaq.forEach((entry, position) => {
    const record = byFileQuestion.get(entry.question)?.shift();
    if (!record) {
      // The owner already wrote this question in the console: theirs stands, no twin.
      if (!consoleQuestions.has(normalise(entry.question))) {
        insert.push({ ...entry, position });
      }
      return;
    }
    matched.add(record.id);
    // Edited in the console, or deleted there: the owner's word wins over the file's.
    if (record.source === 'console' || record.deletedAt !== null) return;
    if (
      record.answer !== entry.answer ||
      record.position !== position ||
      record.fileQuestion === null
    ) {
      update.push({ id: record.id, answer: entry.answer, position, fileQuestion: entry.question });
    }
  });
  // Gone from the file: its untouched entries and its tombstones go too. An entry the owner
  // edited is theirs now and stays.
  const remove = records
    .filter(
      (record) =>
        fileKey(record) !== null &&
        !matched.has(record.id) &&
        (record.source === 'file' || record.deletedAt !== null),
    )
    .map((record) => record.id);

  if (insert.length + update.length + remove.length === 0) return;
  await knowledge.writeFileFaq(businessId, { insert, update, remove });
}

/** The file question a row stands for; rows stored before the column existed all came from it. */
function fileKey(record: FaqRecord): string | null {
  return record.fileQuestion ?? (record.source === 'file' ? record.question : null);
}

function normalise(question: string): string {
  return question.trim().toLowerCase();
}
