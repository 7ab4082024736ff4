import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { ParleyError } from '../core/errors.js';
import { businessConfigSchema, type BusinessConfig } from './business-config.js';
import { configErrorMap } from './config-error-map.js';
import {
  formatPath,
  isOptionalAt,
  toConfigIssues,
  type ConfigIssue,
  type PathSegment,
} from './config-issues.js';
import { substituteEnv, type UnresolvedReference } from './substitute-env.js';
import { yamlLine } from './yaml-line.js';

type Env = Readonly<Record<string, string | undefined>>;

const EXAMPLE_FILE = 'examples/demo-shop.yaml';

/**
 * Reads, resolves `${NAME}` references from `env`, and validates a business file. Every problem is
 * reported at once in a `ParleyError('config_invalid')`, one line each, with its key path and line.
 */
export async function loadBusinessConfig(path: string, env: Env): Promise<BusinessConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw unreadableFile(path, error);
  }
  return parseBusinessConfig(text, path, env);
}

/** `loadBusinessConfig` for text already in hand; `sourceName` names it in messages. */
export function parseBusinessConfig(text: string, sourceName: string, env: Env): BusinessConfig {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (document.errors.length > 0) {
    // One mistake often trips several parser errors at the same spot; the first says it best.
    const errors = document.errors.filter(
      (error, index, all) => all.findIndex((other) => other.pos[0] === error.pos[0]) === index,
    );
    const issues = errors.map((error): ConfigIssue => {
      const { line, col } = lines.linePos(error.pos[0]);
      return {
        path: '',
        segments: [],
        message: `line ${line}, column ${col}: ${firstLine(error.message)}. Check the indentation (spaces, not tabs) and quoting there.`,
        line,
      };
    });
    throw new ParleyError(
      'config_invalid',
      summary(
        sourceName,
        issues.map((issue) => `${sourceName}: ${issue.message}`),
      ),
      { issues },
    );
  }

  const raw: unknown = document.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const message =
      raw === null || raw === undefined
        ? `The file is empty. Copy ${EXAMPLE_FILE} and edit it.`
        : `The file should be a set of sections (business:, agent:, faq: and so on), not a single value or list. Copy ${EXAMPLE_FILE} and edit it.`;
    const issue: ConfigIssue = { path: '', segments: [], message, line: null };
    throw new ParleyError('config_invalid', summary(sourceName, [`${sourceName}: ${message}`]), {
      issues: [issue],
    });
  }

  const { value, unresolved } = substituteEnv(raw, env);
  const result = businessConfigSchema.safeParse(value, { error: configErrorMap });
  const referenceIssues = unresolved.map(describeReference);
  const validationIssues = result.success
    ? []
    : toConfigIssues(result.error.issues, businessConfigSchema).filter(
        // A value that still holds an unresolved `${NAME}` fails validation too; say it once.
        (issue) => !unresolved.some((reference) => startsWith(issue.segments, reference.path)),
      );
  const issues = [...referenceIssues, ...validationIssues]
    .map((issue) => ({ ...issue, line: yamlLine(document, lines, issue.segments) }))
    // In file order, so the owner can fix them top to bottom.
    .sort((left, right) => (left.line ?? Infinity) - (right.line ?? Infinity));
  if (issues.length > 0 || !result.success) {
    throw new ParleyError(
      'config_invalid',
      summary(
        sourceName,
        issues.map((issue) => formatIssue(sourceName, issue)),
      ),
      { issues },
    );
  }
  return result.data;
}

function describeReference({
  path,
  reference,
  problem,
  entireValue,
}: UnresolvedReference): ConfigIssue {
  const name = reference.slice(2, -1);
  const message =
    problem === 'bad_name'
      ? `${reference} is not a valid reference. Variable names use letters, digits and underscores; write $${reference} for a literal ${reference}.`
      : `refers to ${reference}, which is not set. ${
          entireValue && isOptionalAt(businessConfigSchema, path)
            ? 'Set it in the environment or remove the key.'
            : `Set ${name} in the environment, or write the value in its place.`
        }`;
  return { path: formatPath(path), segments: path, message, line: null };
}

function formatIssue(sourceName: string, issue: ConfigIssue): string {
  const where = issue.path === '' ? '' : `${issue.path}: `;
  const line = issue.line === null ? '' : ` (line ${issue.line})`;
  return `${sourceName}: ${where}${issue.message}${line}`;
}

function summary(sourceName: string, problems: readonly string[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [`The business file ${sourceName} has ${count}:`, ...problems].join('\n');
}

function unreadableFile(path: string, error: unknown): ParleyError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message =
    code === 'ENOENT'
      ? `No business file at ${path}. Create one by copying the demo (cp ${EXAMPLE_FILE} ${path}) and editing it, or point PARLEY_CONFIG at an existing file.`
      : code === 'EISDIR'
        ? `${path} is a directory, not a business file. Point PARLEY_CONFIG at a YAML file such as ${EXAMPLE_FILE}.`
        : `Could not read the business file ${path} (${code ?? String(error)}). Check that it exists and that Parley may read it.`;
  const issue: ConfigIssue = { path: '', segments: [], message, line: null };
  return new ParleyError('config_invalid', message, { cause: error, issues: [issue] });
}

function startsWith(path: readonly PathSegment[], prefix: readonly PathSegment[]): boolean {
  return prefix.every((segment, index) => path[index] === segment);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.replace(/[.:]\s*$/, '');
}
