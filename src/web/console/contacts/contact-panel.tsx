import { useCallback, useEffect, useState } from 'react';
import './contacts.css';
import { contactsApi, type ContactProfile } from './contacts-api.js';
import { identityLabel } from './identity-label.js';
import { MergeContact } from './merge-contact.js';

interface ContactPanelProps {
  contactId: string;
  /** Changes when a live event concerns the thread; the panel reloads with it. */
  version: number;
}

function money(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

/**
 * Who the customer is: channel ids, past conversations, orders, appointments and lead; the team
 * corrects the name, marks the contact VIP or flagged (the handoff policy reads both), or merges
 * another contact that is the same person.
 */
export function ContactPanel({ contactId, version }: ContactPanelProps) {
  const [profile, setProfile] = useState<ContactProfile | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');

  const load = useCallback(() => {
    contactsApi.profile(contactId).then(
      (loaded) => {
        setProfile(loaded);
        setName(loaded.contact.displayName ?? '');
        setError(null);
      },
      (cause: Error) => setError(cause.message),
    );
  }, [contactId]);

  useEffect(load, [load, version]);

  if (!profile) {
    return error ? (
      <p className="list-error" role="alert">
        {error}
      </p>
    ) : null;
  }
  const { contact } = profile;

  const change = async (changes: {
    displayName?: string | null;
    vip?: boolean;
    flagged?: boolean;
  }) => {
    try {
      await contactsApi.update(contact.id, changes);
      load();
    } catch (cause) {
      setError((cause as Error).message);
    }
  };

  return (
    <details className="contact-panel" data-testid="contact-panel">
      <summary>
        Contact: {contact.displayName ?? contact.phone ?? contact.email ?? 'unnamed'}
        {contact.vip && <span className="badge contact-vip">VIP</span>}
        {contact.flagged && <span className="badge contact-flagged">Flagged</span>}
        <span className="muted">
          {' '}
          · {contact.identities.length} channel id{contact.identities.length === 1 ? '' : 's'} ·{' '}
          {profile.conversations.length} conversation{profile.conversations.length === 1 ? '' : 's'}
        </span>
      </summary>
      <div className="contact-panel-body">
        <form
          className="contact-edit"
          onSubmit={(event) => {
            event.preventDefault();
            void change({ displayName: name });
          }}
        >
          <label htmlFor="contact-name">Name</label>
          <input
            id="contact-name"
            data-testid="contact-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <button type="submit" className="button subtle" data-testid="contact-name-save">
            Save
          </button>
          <label className="handoff-check">
            <input
              type="checkbox"
              data-testid="contact-vip"
              checked={contact.vip}
              onChange={(event) => void change({ vip: event.target.checked })}
            />{' '}
            VIP
          </label>
          <label className="handoff-check">
            <input
              type="checkbox"
              data-testid="contact-flagged"
              checked={contact.flagged}
              onChange={(event) => void change({ flagged: event.target.checked })}
            />{' '}
            Flagged
          </label>
        </form>
        {error && (
          <p className="list-error" role="alert">
            {error}
          </p>
        )}
        <section>
          <h3>Channel ids</h3>
          <ul data-testid="contact-identities">
            {contact.phone && <li>Phone {contact.phone}</li>}
            {contact.email && <li>E-mail {contact.email}</li>}
            {contact.identities.map((identity) => (
              <li key={`${identity.channel}:${identity.externalId}`}>{identityLabel(identity)}</li>
            ))}
          </ul>
        </section>
        <section>
          <h3>Conversations</h3>
          <ul data-testid="contact-conversations">
            {profile.conversations.map((conversation) => (
              <li key={conversation.id}>
                {conversation.channel} · {conversation.state.replaceAll('_', ' ')} ·{' '}
                {new Date(conversation.lastMessageAt).toLocaleDateString()} —{' '}
                <span className="muted">{conversation.lastMessagePreview}</span>
              </li>
            ))}
          </ul>
        </section>
        <section>
          <h3>Orders</h3>
          {profile.orders.length === 0 ? (
            <p className="muted">None</p>
          ) : (
            <ul data-testid="contact-orders">
              {profile.orders.map((order) => (
                <li key={order.id}>
                  #{order.number} · {money(order.totalMinor, order.currency)} ·{' '}
                  {order.status.replaceAll('_', ' ')}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section>
          <h3>Appointments</h3>
          {profile.appointments.length === 0 ? (
            <p className="muted">None</p>
          ) : (
            <ul data-testid="contact-appointments">
              {profile.appointments.map((appointment) => (
                <li key={appointment.id}>
                  {appointment.serviceName} with {appointment.staffName} ·{' '}
                  {new Date(appointment.startsAt).toLocaleString()} · {appointment.status}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section>
          <h3>Lead</h3>
          {profile.lead ? (
            <p data-testid="contact-lead">
              {profile.lead.stage} · score {profile.lead.score}
              {Object.entries(profile.lead.answers).map(([question, answer]) => (
                <span key={question} className="contact-lead-answer">
                  {question}: {String(answer)}
                </span>
              ))}
            </p>
          ) : (
            <p className="muted">Not qualified yet</p>
          )}
        </section>
        <MergeContact contact={contact} onMerged={load} />
      </div>
    </details>
  );
}
