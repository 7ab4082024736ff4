import { expect } from 'vitest';
import { isParleyError, type ParleyError } from '../../src/core/errors.js';
import type { ConfigIssue } from '../../src/config/config-issues.js';

/** Runs `load`, expects it to throw `config_invalid`, and returns the error and its issues. */
export async function configError(
  load: () => unknown,
): Promise<{ error: ParleyError; issues: ConfigIssue[] }> {
  try {
    await load();
  } catch (error) {
    if (!isParleyError(error, 'config_invalid')) throw error;
    return { error, issues: error.issues as ConfigIssue[] };
  }
  expect.fail('expected a config_invalid error');
}

/** The smallest valid business file; tests append or replace lines to break one thing. */
export const MINIMAL_YAML = `business:
  slug: corner-bakery
  name: Corner Bakery
  timezone: Europe/Paris
  currency: EUR
`;
