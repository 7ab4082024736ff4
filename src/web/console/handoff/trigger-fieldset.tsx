import type { NotifyChannel } from './handoff-api.js';
import type { TriggerDraft } from './policy-draft.js';
import { issuesAt } from './policy-draft.js';
import { ACTION_LABELS, NOTIFY_LABELS, type TriggerDescription } from './trigger-catalogue.js';
import { FieldIssues } from './field-issues.js';

interface TriggerFieldsetProps {
  description: TriggerDescription;
  trigger: TriggerDraft;
  issues: ReadonlyArray<{ path: string; message: string }>;
  onChange: (trigger: TriggerDraft) => void;
}

/** One trigger: on or off, what it does, who hears of it, and its own setting. */
export function TriggerFieldset({ description, trigger, issues, onChange }: TriggerFieldsetProps) {
  const base = `triggers.${description.key}`;
  const id = (field: string) => `handoff-${description.key}-${field}`;
  const { setting } = description;
  const ownIssues = issuesAt(issues, base).length > 0;
  return (
    <fieldset
      className={`handoff-trigger${trigger.enabled ? '' : ' off'}${ownIssues ? ' has-issues' : ''}`}
      data-testid={`trigger-${description.key}`}
    >
      <legend>
        <label>
          <input
            type="checkbox"
            checked={trigger.enabled}
            data-testid={id('enabled')}
            onChange={(event) => onChange({ ...trigger, enabled: event.target.checked })}
          />{' '}
          {description.title}
        </label>
      </legend>
      <p className="muted handoff-explanation">{description.explanation}</p>
      <FieldIssues messages={issuesAt(issues, `${base}.enabled`)} />
      <div className="handoff-row">
        <label htmlFor={id('action')}>Then</label>
        <select
          id={id('action')}
          data-testid={id('action')}
          value={trigger.action}
          onChange={(event) =>
            onChange({ ...trigger, action: event.target.value as TriggerDraft['action'] })
          }
        >
          {Object.entries(ACTION_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <FieldIssues messages={issuesAt(issues, `${base}.action`)} />
      <div className="handoff-row" role="group" aria-label="Notify by">
        <span>Notify by</span>
        {(Object.keys(NOTIFY_LABELS) as NotifyChannel[]).map((channel) => (
          <label key={channel} className="handoff-check">
            <input
              type="checkbox"
              data-testid={id(`notify-${channel}`)}
              checked={trigger.notify.includes(channel)}
              onChange={(event) =>
                onChange({
                  ...trigger,
                  notify: event.target.checked
                    ? [...trigger.notify, channel]
                    : trigger.notify.filter((entry) => entry !== channel),
                })
              }
            />{' '}
            {NOTIFY_LABELS[channel]}
          </label>
        ))}
      </div>
      <FieldIssues messages={issuesAt(issues, `${base}.notify`)} />
      {setting && (
        <div className="handoff-setting">
          <label htmlFor={id(setting.key)}>{setting.label}</label>
          {setting.kind === 'number' ? (
            <input
              id={id(setting.key)}
              data-testid={id(setting.key)}
              inputMode="decimal"
              value={trigger.settingText}
              onChange={(event) => onChange({ ...trigger, settingText: event.target.value })}
            />
          ) : (
            <textarea
              id={id(setting.key)}
              data-testid={id(setting.key)}
              rows={setting.kind === 'topics' ? 4 : 3}
              value={trigger.settingText}
              onChange={(event) => onChange({ ...trigger, settingText: event.target.value })}
            />
          )}
          <span className="muted handoff-hint">{setting.hint}</span>
          <FieldIssues messages={issuesAt(issues, `${base}.${setting.key}`)} />
        </div>
      )}
      <FieldIssues
        messages={issues.filter((issue) => issue.path === base).map((issue) => issue.message)}
      />
    </fieldset>
  );
}
