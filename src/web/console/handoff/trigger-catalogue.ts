/** How a trigger's own setting is edited: a number, a list (one per line), or topic lists. */
export type SettingKind = 'number' | 'lines' | 'topics';

export interface TriggerSetting {
  key: string;
  label: string;
  kind: SettingKind;
  hint: string;
  step?: number;
}

export interface TriggerDescription {
  key: string;
  title: string;
  explanation: string;
  setting: TriggerSetting | null;
}

/** The triggers in the order the owner reads them, in plain words. */
export const TRIGGER_CATALOGUE: readonly TriggerDescription[] = [
  {
    key: 'personRequest',
    title: 'The customer asks for a person',
    explanation:
      'Recognised in many languages; add your own phrases if customers say it differently.',
    setting: {
      key: 'phrases',
      label: 'Extra phrases',
      kind: 'lines',
      hint: 'One per line, e.g. “can I speak to Maria”.',
    },
  },
  {
    key: 'frustration',
    title: 'The customer is frustrated',
    explanation: 'Negative wording in the customer’s recent messages, scored from 0 to 1.',
    setting: { key: 'level', label: 'Level', kind: 'number', hint: 'From 0 to 1.', step: 0.05 },
  },
  {
    key: 'cartValue',
    title: 'A large order',
    explanation: 'The customer’s cart reaches an amount.',
    setting: {
      key: 'above',
      label: 'Amount',
      kind: 'number',
      hint: 'In your currency.',
      step: 0.01,
    },
  },
  {
    key: 'topics',
    title: 'Sensitive topics',
    explanation: 'Refunds, complaints, legal or medical questions: a person answers these.',
    setting: {
      key: 'lists',
      label: 'Topics',
      kind: 'topics',
      hint: 'One topic per line: name: word, word, word',
    },
  },
  {
    key: 'noProgress',
    title: 'No progress',
    explanation: 'The customer repeats themselves or the agent cannot help, turn after turn.',
    setting: {
      key: 'turns',
      label: 'Turns in a row',
      kind: 'number',
      hint: 'From 1 to 50.',
      step: 1,
    },
  },
  {
    key: 'complexity',
    title: 'The agent finds it complex',
    explanation: 'The model rates each reply from 0 (simple) to 1 (beyond it).',
    setting: {
      key: 'threshold',
      label: 'Threshold',
      kind: 'number',
      hint: 'From 0 to 1.',
      step: 0.05,
    },
  },
  {
    key: 'flaggedContact',
    title: 'VIP or flagged customers',
    explanation:
      'Contacts you marked in the contact panel, and the numbers or addresses listed here.',
    setting: {
      key: 'contacts',
      label: 'Phone numbers or e-mail addresses',
      kind: 'lines',
      hint: 'One per line, phone numbers like +447700900123.',
    },
  },
  {
    key: 'keywords',
    title: 'Keywords',
    explanation: 'Any of these words in a customer’s message.',
    setting: { key: 'words', label: 'Words', kind: 'lines', hint: 'One per line.' },
  },
  {
    key: 'outsideHours',
    title: 'Outside opening hours',
    explanation: 'A message arrives while you are closed; “callback” collects details for later.',
    setting: null,
  },
];

export const ACTION_LABELS = {
  handoff: 'Hand to a person now',
  callback: 'Collect details, a person calls back',
  notify: 'Only notify me',
} as const;

export const NOTIFY_LABELS = {
  console: 'Console',
  email: 'E-mail',
  whatsapp: 'WhatsApp',
  zendesk: 'Zendesk ticket',
} as const;
