/**
 * The model rates each reply as structured output at the end of its text. A trailing marker keeps
 * the tool loop unchanged (no second call, works with every OpenAI-compatible server); the marker
 * is stripped before the customer sees the reply.
 */
export const COMPLEXITY_INSTRUCTION =
  'After your reply, on a line of its own, rate how hard this request is for you to handle ' +
  'correctly without a person, from 0 (routine) to 1 (needs a person), as [[complexity: 0.0]]. ' +
  'The customer never sees this line.';

const MARKER = /\s*\[\[\s*complexity\s*[:=]\s*([01](?:\.\d+)?)\s*\]\]\s*/gi;

/** The reply without the marker, and the rating (null when the model gave none). */
export function extractComplexityRating(text: string): { text: string; rating: number | null } {
  let rating: number | null = null;
  const cleaned = text.replace(MARKER, (_marker, value: string) => {
    const parsed = Number(value);
    if (Number.isFinite(parsed) && parsed >= 0 && parsed <= 1) rating = parsed;
    return '\n';
  });
  return { text: cleaned.trim(), rating };
}
