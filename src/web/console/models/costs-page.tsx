import { useMemo, useState, type FormEvent } from 'react';
import { navigate } from '../router.js';
import { DailyChart, dailyTotals } from './daily-chart.js';
import { count, modelsApi, money, type WhatIfInput, type WireBudget } from './models-api.js';
import { useLoaded } from './use-loaded.js';

const PERIODS = [7, 30, 90] as const;

/**
 * What the business's models cost: spend and tokens per day, per model and per conversation,
 * today's budgets, and what the month's traffic would cost on every configured model or a GPU.
 */
export function CostsPage() {
  const [days, setDays] = useState<number>(30);
  const [measure, setMeasure] = useState<'cost' | 'tokens'>('cost');
  const usage = useLoaded(() => modelsApi.usage(days), String(days));
  const budget = useLoaded(() => modelsApi.budget());
  const chartDays = useMemo(
    () => (usage.value ? dailyTotals(usage.value, new Date()) : []),
    [usage.value],
  );
  const perModel = useMemo(() => {
    const totals = new Map<string, { calls: number; tokens: number; costMicros: number }>();
    for (const row of usage.value?.byDay ?? []) {
      const total = totals.get(row.modelId) ?? { calls: 0, tokens: 0, costMicros: 0 };
      total.calls += row.calls;
      total.tokens += row.inputTokens + row.outputTokens;
      total.costMicros += row.costMicros;
      totals.set(row.modelId, total);
    }
    return [...totals.entries()].sort((a, b) => b[1].costMicros - a[1].costMicros);
  }, [usage.value]);

  return (
    <section className="models-page" aria-label="Costs" data-testid="costs">
      <header className="models-page-header">
        <h1>Costs</h1>
        <div className="list-filters" role="group" aria-label="Period">
          {PERIODS.map((period) => (
            <button
              key={period}
              type="button"
              className={`filter ${days === period ? 'active' : ''}`}
              aria-pressed={days === period}
              onClick={() => setDays(period)}
            >
              {period} days
            </button>
          ))}
        </div>
      </header>
      {usage.error && (
        <p className="banner danger" role="alert">
          {usage.error}
        </p>
      )}
      {usage.value && (
        <>
          <div className="models-card">
            <div className="models-card-title">
              <h2>
                {money(usage.value.totals.costMicros)} in {days} days
                <small className="muted">
                  {' '}
                  · {count(usage.value.totals.inputTokens + usage.value.totals.outputTokens)} tokens
                  · {usage.value.totals.calls} calls
                </small>
              </h2>
              <div className="list-filters" role="group" aria-label="Measure">
                {(['cost', 'tokens'] as const).map((option) => (
                  <button
                    key={option}
                    type="button"
                    className={`filter ${measure === option ? 'active' : ''}`}
                    aria-pressed={measure === option}
                    onClick={() => setMeasure(option)}
                  >
                    {option === 'cost' ? 'Spend' : 'Tokens'}
                  </button>
                ))}
              </div>
            </div>
            <DailyChart days={chartDays} measure={measure} />
          </div>
          <div className="models-columns">
            <div className="models-card">
              <h2>Per model</h2>
              <table className="models-table" data-testid="cost-per-model">
                <thead>
                  <tr>
                    <th>Model</th>
                    <th>Calls</th>
                    <th>Tokens</th>
                    <th>Spend</th>
                  </tr>
                </thead>
                <tbody>
                  {perModel.map(([modelId, total]) => (
                    <tr key={modelId}>
                      <td>{modelId === '-' ? 'refused (no model)' : modelId}</td>
                      <td>{total.calls}</td>
                      <td>{count(total.tokens)}</td>
                      <td>{money(total.costMicros)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {perModel.length === 0 && <p className="muted">No model calls in this period.</p>}
            </div>
            <div className="models-card">
              <h2>Most expensive conversations</h2>
              <table className="models-table" data-testid="cost-per-conversation">
                <thead>
                  <tr>
                    <th>Conversation</th>
                    <th>Calls</th>
                    <th>Tokens</th>
                    <th>Spend</th>
                  </tr>
                </thead>
                <tbody>
                  {usage.value.byConversation.map((row) => (
                    <tr key={row.conversationId}>
                      <td>
                        <a
                          href={`/conversations/${row.conversationId}`}
                          data-testid="cost-conversation-link"
                          onClick={(event) => {
                            event.preventDefault();
                            navigate(`/conversations/${row.conversationId}`);
                          }}
                        >
                          {row.contactName ?? `Conversation …${row.conversationId.slice(-6)}`}
                        </a>
                      </td>
                      <td>{row.calls}</td>
                      <td>{count(row.tokens)}</td>
                      <td>{money(row.costMicros)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        </>
      )}
      {budget.value && <BudgetPanel budget={budget.value} />}
      <WhatIfCalculator />
    </section>
  );
}

function Meter({ share, alertAt }: { share: number | null; alertAt: number }) {
  if (share === null) return <span className="muted">no limit</span>;
  const level = share >= 1 ? 'spent' : share >= alertAt ? 'near' : 'ok';
  return (
    <span className={`budget-meter budget-${level}`} data-testid="budget-meter" data-level={level}>
      <span className="budget-meter-fill" style={{ width: `${Math.min(100, share * 100)}%` }} />
      <span className="budget-meter-text">{Math.round(share * 100)}%</span>
    </span>
  );
}

function BudgetPanel({ budget }: { budget: WireBudget }) {
  const { limits } = budget;
  return (
    <div className="models-card" data-testid="budget">
      <h2>Today's budget ({budget.day}, UTC)</h2>
      <table className="models-table">
        <tbody>
          <tr>
            <th scope="row">Business</th>
            <td>
              {money(budget.business.spentMicros)}
              {limits.perBusinessPerDay !== null &&
                ` of ${money(limits.perBusinessPerDay * 1e6)} a day`}
            </td>
            <td>
              <Meter share={budget.business.share} alertAt={limits.alertAt} />
            </td>
          </tr>
          {budget.contacts.map((contact) => (
            <tr key={contact.contactId} data-testid="budget-contact">
              <th scope="row">{contact.name ?? `Contact …${contact.contactId.slice(-4)}`}</th>
              <td>
                {money(contact.costMicros)}
                {limits.perContactPerDay !== null &&
                  ` of ${money(limits.perContactPerDay * 1e6)} a day`}
              </td>
              <td>
                <Meter share={contact.share} alertAt={limits.alertAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {limits.perBusinessPerDay === null && limits.perContactPerDay === null && (
        <p className="muted">
          No daily budget is set. Add models.budgets.perBusinessPerDay and perContactPerDay to the
          business file: when one is spent, customers get menus until midnight UTC.
        </p>
      )}
    </div>
  );
}

function numberOrNull(text: string): number | null {
  const value = Number(text);
  return text.trim() === '' || !Number.isFinite(value) || value < 0 ? null : value;
}

function WhatIfCalculator() {
  const [form, setForm] = useState({ queriesPerDay: '', gpuPerHour: '1.20', tokensPerSecond: '' });
  const [input, setInput] = useState<WhatIfInput>({
    days: 30,
    queriesPerDay: null,
    gpuPerHour: 1.2,
    gpuTokensPerSecond: null,
  });
  const result = useLoaded(() => modelsApi.whatIf(input), JSON.stringify(input));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setInput({
      days: 30,
      queriesPerDay: numberOrNull(form.queriesPerDay),
      gpuPerHour: numberOrNull(form.gpuPerHour),
      gpuTokensPerSecond: numberOrNull(form.tokensPerSecond),
    });
  };
  const value = result.value;
  return (
    <div className="models-card" data-testid="what-if">
      <h2>What if</h2>
      <p className="muted">
        This month's traffic (measured over the last 30 days, or the volume you type) priced on
        every configured model, and on a rented GPU billed by the hour however busy it is.
      </p>
      <form className="what-if-form" onSubmit={submit}>
        <label>
          Queries a day
          <input
            inputMode="numeric"
            placeholder="measured"
            value={form.queriesPerDay}
            onChange={(event) => setForm({ ...form, queriesPerDay: event.target.value })}
          />
        </label>
        <label>
          GPU price per hour ($)
          <input
            inputMode="decimal"
            value={form.gpuPerHour}
            onChange={(event) => setForm({ ...form, gpuPerHour: event.target.value })}
          />
        </label>
        <label>
          GPU throughput (output tokens/s)
          <input
            inputMode="numeric"
            placeholder="one GPU is enough"
            value={form.tokensPerSecond}
            onChange={(event) => setForm({ ...form, tokensPerSecond: event.target.value })}
          />
        </label>
        <button type="submit" className="button primary">
          Compare
        </button>
      </form>
      {result.error && (
        <p className="banner danger" role="alert">
          {result.error}
        </p>
      )}
      {value && (
        <>
          <p data-testid="what-if-volume">
            {value.monthlyCalls.toLocaleString('en')} queries a month · about{' '}
            {Math.round(value.perQuery.inputTokens)} tokens in and{' '}
            {Math.round(value.perQuery.outputTokens)} out per query
          </p>
          <table className="models-table" data-testid="what-if-table">
            <thead>
              <tr>
                <th>On</th>
                <th>Priced by</th>
                <th>Per query</th>
                <th>Per month</th>
              </tr>
            </thead>
            <tbody>
              {value.rows.map((row) => (
                <tr key={row.modelId} data-testid="what-if-row">
                  <td>
                    {row.modelId} <small className="muted">{row.model}</small>
                  </td>
                  <td>{PRICE_SOURCES[row.priceSource] ?? row.priceSource}</td>
                  <td>{money(row.perQueryMicros)}</td>
                  <td>{money(row.monthlyCostMicros)}</td>
                </tr>
              ))}
              {value.fixed && (
                <tr data-testid="what-if-gpu">
                  <td>
                    Rented GPU{value.fixed.machines > 1 ? ` × ${value.fixed.machines}` : ''}
                    {value.fixed.utilisation !== null && (
                      <small className="muted">
                        {' '}
                        {Math.round(value.fixed.utilisation * 100)}% of one GPU busy
                      </small>
                    )}
                  </td>
                  <td>fixed price per hour</td>
                  <td>
                    {value.monthlyCalls > 0
                      ? money(value.fixed.monthlyCostMicros / value.monthlyCalls)
                      : '–'}
                  </td>
                  <td>{money(value.fixed.monthlyCostMicros)}</td>
                </tr>
              )}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

const PRICE_SOURCES: Record<string, string> = {
  entry: 'its price in the file',
  config: 'models.prices',
  table: "Parley's price table",
  amortised: 'hardware ÷ throughput',
  none: 'no price known (free)',
};
