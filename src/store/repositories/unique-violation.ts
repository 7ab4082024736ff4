/**
 * Whether a failed query broke a unique constraint (SQLSTATE 23505). Drizzle wraps the driver's
 * error in `cause`; node-postgres and PGlite both carry the SQLSTATE in `code`.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const { code, constraint: violated } = current as Error & {
      code?: unknown;
      constraint?: unknown;
    };
    if (code === '23505') return constraint === undefined || violated === constraint;
  }
  return false;
}
