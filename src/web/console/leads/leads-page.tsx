import { useCallback, useEffect, useState } from 'react';
import './leads.css';
import { navigate } from '../router.js';
import { leadsApi, type LeadFilter, type LeadPipeline, type WireLead } from './leads-api.js';

/**
 * The qualified leads: who they are, their stage and score, what they answered, and a link to
 * the conversation. Owner and staff move a lead to another stage and export the list as CSV.
 */
export function LeadsPage() {
  const [filter, setFilter] = useState<LeadFilter>({ stage: '', text: '' });
  const [leads, setLeads] = useState<WireLead[] | null>(null);
  const [pipeline, setPipeline] = useState<LeadPipeline | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    leadsApi.list(filter).then(
      (response) => {
        setLeads(response.leads);
        setPipeline(response.pipeline);
        setError(null);
      },
      (cause: Error) => setError(cause.message),
    );
  }, [filter]);

  useEffect(load, [load]);

  const changeStage = async (lead: WireLead, stage: string) => {
    try {
      const { lead: updated } = await leadsApi.setStage(lead.id, stage);
      setLeads(
        (current) => current?.map((entry) => (entry.id === updated.id ? updated : entry)) ?? null,
      );
      setError(null);
    } catch (cause) {
      setError((cause as Error).message);
    }
  };

  const stages = pipeline?.stages ?? [];
  const prompts = new Map(pipeline?.questions.map((question) => [question.id, question.prompt]));

  return (
    <main className="console-page leads-page" data-testid="leads-page">
      <header className="leads-head">
        <h1>Leads</h1>
        <form className="leads-filters" role="search" onSubmit={(event) => event.preventDefault()}>
          <label>
            Stage{' '}
            <select
              value={filter.stage}
              onChange={(event) => setFilter({ ...filter, stage: event.target.value })}
            >
              <option value="">All stages</option>
              {stages.map((stage) => (
                <option key={stage.name} value={stage.name}>
                  {stage.name}
                </option>
              ))}
            </select>
          </label>
          <input
            type="search"
            aria-label="Search leads"
            placeholder="Name, e-mail, phone or answer"
            value={filter.text}
            onChange={(event) => setFilter({ ...filter, text: event.target.value })}
          />
          <button type="button" className="button subtle" onClick={load}>
            Refresh
          </button>
          <a className="button" href={leadsApi.csvUrl(filter)} download data-testid="leads-export">
            Export CSV
          </a>
        </form>
      </header>
      {error && (
        <p className="list-error" role="alert">
          {error}
        </p>
      )}
      {leads === null && !error && <p className="list-note">Loading leads…</p>}
      {leads?.length === 0 && (
        <p className="list-note">
          {pipeline && pipeline.questions.length === 0
            ? 'Lead qualification is off: add a leads section to the business file.'
            : 'No leads yet. They appear here as the agent qualifies customers.'}
        </p>
      )}
      {leads && leads.length > 0 && (
        <table className="leads-table">
          <thead>
            <tr>
              <th scope="col">Contact</th>
              <th scope="col">Stage</th>
              <th scope="col">Score</th>
              <th scope="col">Answers</th>
              <th scope="col">Updated</th>
              <th scope="col">Conversation</th>
            </tr>
          </thead>
          <tbody>
            {leads.map((lead) => (
              <tr key={lead.id} data-testid="lead-row" data-lead-id={lead.id}>
                <td className="lead-contact">
                  <strong>
                    {lead.contact.displayName ??
                      contactAnswer(lead, pipeline, 'email') ??
                      'Visitor'}
                  </strong>
                  {(lead.contact.email ?? contactAnswer(lead, pipeline, 'email')) && (
                    <span>{lead.contact.email ?? contactAnswer(lead, pipeline, 'email')}</span>
                  )}
                  {(lead.contact.phone ?? contactAnswer(lead, pipeline, 'phone')) && (
                    <span>{lead.contact.phone ?? contactAnswer(lead, pipeline, 'phone')}</span>
                  )}
                </td>
                <td>
                  <select
                    aria-label="Stage"
                    className={`lead-stage stage-${lead.stage}`}
                    value={lead.stage}
                    onChange={(event) => void changeStage(lead, event.target.value)}
                  >
                    {[...stages.map((stage) => stage.name), lead.stage]
                      .filter((name, index, all) => all.indexOf(name) === index)
                      .map((name) => (
                        <option key={name} value={name}>
                          {name}
                        </option>
                      ))}
                  </select>
                  {lead.stageSetBy === 'person' && (
                    <small className="lead-set-by">set by hand</small>
                  )}
                </td>
                <td className="lead-score">{lead.score}</td>
                <td>
                  <dl className="lead-answers">
                    {inQuestionOrder(lead.answers, pipeline).map(([id, value]) => (
                      <div key={id}>
                        <dt title={prompts.get(id) ?? id}>{id.replace(/_/g, ' ')}</dt>
                        <dd>{formatAnswer(value)}</dd>
                      </div>
                    ))}
                  </dl>
                </td>
                <td>
                  <time dateTime={lead.updatedAt}>{new Date(lead.updatedAt).toLocaleString()}</time>
                </td>
                <td>
                  {lead.conversationId && (
                    <a
                      href={`/conversations/${lead.conversationId}`}
                      onClick={(event) => {
                        event.preventDefault();
                        navigate(`/conversations/${lead.conversationId}`);
                      }}
                    >
                      Open conversation
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

/** The first answer to an e-mail or phone question: how to reach a visitor the channel left unnamed. */
function contactAnswer(
  lead: WireLead,
  pipeline: LeadPipeline | null,
  type: 'email' | 'phone',
): string | null {
  const question = pipeline?.questions.find(
    (entry) => entry.type === type && typeof lead.answers[entry.id] === 'string',
  );
  return question ? String(lead.answers[question.id]) : null;
}

/** Answers in the order the business asks its questions; answers to removed questions last. */
function inQuestionOrder(
  answers: WireLead['answers'],
  pipeline: LeadPipeline | null,
): Array<[string, WireLead['answers'][string]]> {
  const order = pipeline?.questions.map((question) => question.id) ?? [];
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return Object.entries(answers).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

function formatAnswer(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}
