import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useSession } from '../session-context.js';
import {
  simulatorApi,
  type SimulatedChannel,
  type SimulatedCustomer,
  type SimulatorEntry,
} from './simulator-api.js';

const CHANNEL_NAMES: Record<SimulatedChannel, string> = {
  whatsapp: 'WhatsApp',
  messenger: 'Messenger',
  instagram: 'Instagram',
};
const POLL_MS = 1_000;

/**
 * Try Parley without a real number: write as a WhatsApp, Messenger or Instagram customer. Each
 * message is posted to Parley as the signed webhook Meta would send; the replies are what Parley
 * sent to the local Graph API stand-in, shown as the customer's app would show them. The
 * conversation itself appears in the inbox like any other.
 */
export function SimulatorPage() {
  const { business } = useSession();
  const [channels, setChannels] = useState<SimulatedChannel[] | null>(null);
  const [unavailable, setUnavailable] = useState<string | null>(null);
  const [channel, setChannel] = useState<SimulatedChannel>('whatsapp');
  const [customer, setCustomer] = useState<SimulatedCustomer>({
    id: '447700900123',
    name: 'Sam Simulated',
  });
  const [entries, setEntries] = useState<SimulatorEntry[]>([]);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const chat = useRef<HTMLOListElement>(null);

  useEffect(() => {
    simulatorApi.channels().then(
      (result) => setChannels(result.channels.map((entry) => entry.channel)),
      () =>
        setUnavailable(
          'The simulator is off. Start Parley with PARLEY_SIMULATOR=true to try the channels without a real number.',
        ),
    );
  }, []);

  const refresh = useCallback(async () => {
    if (!/^\d{6,20}$/.test(customer.id)) return;
    try {
      const { entries: latest } = await simulatorApi.transcript(channel, customer.id);
      setEntries(latest);
    } catch (cause) {
      setError((cause as Error).message);
    }
  }, [channel, customer.id]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  // Like a phone, the newest message stays in view.
  const lastEntry = entries.at(-1)?.id;
  useEffect(() => {
    chat.current?.scrollTo({ top: chat.current.scrollHeight });
  }, [lastEntry]);

  const send = async (input: { text: string } | { choice: { id: string; title: string } }) => {
    setError(null);
    try {
      await simulatorApi.write(channel, customer, input);
      await refresh();
    } catch (cause) {
      setError((cause as Error).message);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (text === '') return;
    setDraft('');
    void send({ text });
  };

  if (unavailable) return <p className="simulator-off">{unavailable}</p>;
  if (!channels) return <div className="splash" aria-busy="true" />;

  return (
    <section
      className={`simulator channel-${channel}`}
      aria-label="Channel simulator"
      data-testid="simulator"
    >
      <header className="simulator-controls">
        <label>
          Channel{' '}
          <select
            value={channel}
            onChange={(event) => setChannel(event.target.value as SimulatedChannel)}
          >
            {channels.map((option) => (
              <option key={option} value={option}>
                {CHANNEL_NAMES[option]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Customer id{' '}
          <input
            value={customer.id}
            inputMode="numeric"
            onChange={(event) => setCustomer({ ...customer, id: event.target.value.trim() })}
          />
        </label>
        <label>
          Name{' '}
          <input
            value={customer.name}
            onChange={(event) => setCustomer({ ...customer, name: event.target.value })}
          />
        </label>
      </header>
      <div className="simulator-phone">
        <div className="simulator-phone-bar">
          <span className="simulator-avatar" aria-hidden="true">
            {business.name.slice(0, 1).toUpperCase()}
          </span>
          <span className="simulator-phone-title">
            <strong>{business.name}</strong>
            <small>
              {CHANNEL_NAMES[channel]}, as {customer.name || 'a customer'} sees it
            </small>
          </span>
        </div>
        <ol ref={chat} className="simulator-chat" data-testid="simulator-chat">
          {entries.map((entry) => (
            <li
              key={`${entry.from}:${entry.id}`}
              className={`simulator-bubble from-${entry.from}`}
              data-testid="simulator-entry"
              data-from={entry.from}
            >
              <p>{entry.text}</p>
              <time className="simulator-time" dateTime={entry.at}>
                {new Date(entry.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
              </time>
              {entry.choices.length > 0 && (
                <div className={`simulator-choices kind-${entry.kind}`}>
                  {entry.choices.map((choice) => (
                    <button
                      key={choice.id}
                      type="button"
                      data-testid="simulator-choice"
                      onClick={() => void send({ choice })}
                    >
                      {choice.title}
                    </button>
                  ))}
                </div>
              )}
            </li>
          ))}
        </ol>
        {error && (
          <p className="banner danger" role="alert">
            {error}
          </p>
        )}
        <form className="simulator-compose" onSubmit={submit}>
          <input
            aria-label={`Write as the ${CHANNEL_NAMES[channel]} customer`}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            placeholder={`Message as ${customer.name} on ${CHANNEL_NAMES[channel]}`}
          />
          <button type="submit" className="simulator-send" aria-label="Send">
            Send
          </button>
        </form>
      </div>
    </section>
  );
}
