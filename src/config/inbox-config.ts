import { z } from 'zod';
import { wholeNumber } from './field-schemas.js';

/** The team inbox's settings of a business (the `inbox:` section of its file). */
export interface InboxConfig {
  /** How soon a person should answer a waiting customer; the console colours waits against it. */
  responseTargetMinutes: number;
}

export const DEFAULT_RESPONSE_TARGET_MINUTES = 5;

export const inboxSection = z
  .strictObject({
    responseTargetMinutes: wholeNumber(1, 1440).default(DEFAULT_RESPONSE_TARGET_MINUTES),
  })
  .prefault({});
