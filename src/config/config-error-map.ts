import type { z } from 'zod';
import { describeValue } from './describe-value.js';

const EXAMPLE_FILE = 'examples/demo-shop.yaml';

/**
 * Messages for the checks that carry none of their own (types, lengths, list sizes), written as
 * "<what is wrong>. <how to fix>" for a business owner editing YAML, not for a developer.
 */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  const input = issue.input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) {
        return `is missing. Add it (${EXAMPLE_FILE} shows an example).`;
      }
      if (input === null) return 'is empty. Give it a value, or remove the key if it is optional.';
      return `${describeValue(input)} should be ${expected(issue.expected)}. ${howToWrite(issue.expected)}`;
    case 'too_small':
      if (issue.origin === 'string')
        return 'is empty. Fill it in, or remove the key if it is optional.';
      if (issue.origin === 'array') {
        return `needs at least ${String(issue.minimum)} ${issue.minimum === 1 ? 'entry' : 'entries'}. Add one.`;
      }
      return `${describeValue(input)} is too small. Use ${String(issue.minimum)} or more.`;
    case 'too_big':
      if (issue.origin === 'string') {
        return `is longer than ${String(issue.maximum)} characters. Shorten it.`;
      }
      if (issue.origin === 'array') {
        return `has more than ${String(issue.maximum)} entries. Remove some.`;
      }
      return `${describeValue(input)} is too large. Use ${String(issue.maximum)} or less.`;
    case 'invalid_value':
      return `${describeValue(input)} is not allowed here. Use one of: ${issue.values.map((value) => String(value)).join(', ')}.`;
    case 'invalid_union':
      return `${describeValue(input)} is not valid here. Compare it with ${EXAMPLE_FILE}.`;
    default:
      return undefined;
  }
};

function expected(type: string): string {
  switch (type) {
    case 'string':
      return 'text';
    case 'number':
    case 'int':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a group of keys';
    default:
      return `a ${type}`;
  }
}

function howToWrite(type: string): string {
  switch (type) {
    case 'string':
      return 'Write it as text, in quotes if it looks like a number.';
    case 'array':
      return 'Write one entry per line, each starting with "- ", or use [a, b].';
    case 'object':
    case 'record':
      return 'Write "key: value" lines indented under it.';
    default:
      return `Compare it with ${EXAMPLE_FILE}.`;
  }
}
