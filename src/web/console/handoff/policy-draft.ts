import type { HandoffPolicyInput, TriggerInput } from './handoff-api.js';
import { TRIGGER_CATALOGUE, type SettingKind } from './trigger-catalogue.js';

/** A trigger while the owner edits it: its own setting is kept as typed text until saved. */
export interface TriggerDraft extends TriggerInput {
  settingText: string;
}

export interface PolicyDraft {
  triggers: Record<string, TriggerDraft>;
  emailText: string;
  whatsapp: string;
}

function settingToText(kind: SettingKind, value: unknown): string {
  if (kind === 'number')
    return typeof value === 'number' || typeof value === 'string' ? String(value) : '';
  if (kind === 'lines') return Array.isArray(value) ? value.join('\n') : '';
  const lists = (value ?? {}) as Record<string, string[]>;
  return Object.entries(lists)
    .map(([topic, words]) => `${topic}: ${words.join(', ')}`)
    .join('\n');
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function textToSetting(kind: SettingKind, text: string): unknown {
  if (kind === 'number') {
    const trimmed = text.trim();
    // Anything that is not a number goes to the server as typed, which says what is wrong.
    return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
  }
  if (kind === 'lines') return lines(text);
  const lists: Record<string, string[]> = {};
  for (const line of lines(text)) {
    const colon = line.indexOf(':');
    const topic = colon === -1 ? line : line.slice(0, colon).trim();
    const words = colon === -1 ? [] : line.slice(colon + 1).split(',');
    lists[topic] = words.map((word) => word.trim()).filter((word) => word !== '');
  }
  return lists;
}

/** The form's starting point: the stored policy, settings turned into editable text. */
export function toDraft(policy: HandoffPolicyInput): PolicyDraft {
  const triggers: Record<string, TriggerDraft> = {};
  for (const entry of TRIGGER_CATALOGUE) {
    const trigger = policy.triggers[entry.key] ?? { enabled: false, action: 'handoff', notify: [] };
    triggers[entry.key] = {
      ...trigger,
      settingText: entry.setting
        ? settingToText(entry.setting.kind, trigger[entry.setting.key])
        : '',
    };
  }
  return {
    triggers,
    emailText: policy.notifications.email.join('\n'),
    whatsapp: policy.notifications.whatsapp ?? '',
  };
}

/** The body of PUT /api/handoff-policy, in the business file's shape. */
export function fromDraft(draft: PolicyDraft): HandoffPolicyInput {
  const triggers: Record<string, TriggerInput> = {};
  for (const entry of TRIGGER_CATALOGUE) {
    const trigger = draft.triggers[entry.key];
    if (!trigger) continue;
    const { settingText, ...settings } = trigger;
    triggers[entry.key] = entry.setting
      ? { ...settings, [entry.setting.key]: textToSetting(entry.setting.kind, settingText) }
      : settings;
  }
  const whatsapp = draft.whatsapp.trim();
  return {
    triggers,
    notifications: { email: lines(draft.emailText), whatsapp: whatsapp === '' ? null : whatsapp },
  };
}

/** The messages of the issues at `path` or below it (`notifications.email.0` → `notifications.email`). */
export function issuesAt(
  issues: ReadonlyArray<{ path: string; message: string }>,
  path: string,
): string[] {
  return issues
    .filter((issue) => issue.path === path || issue.path.startsWith(`${path}.`))
    .map((issue) =>
      issue.path === path
        ? issue.message
        : `${issue.path.slice(path.length + 1)}: ${issue.message}`,
    );
}
