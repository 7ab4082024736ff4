import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Conversation } from '../../src/core/conversation.js';
import type { TestParley } from '../support/test-parley.js';
import { waitFor } from './wait-for.js';

/** A message as the widget API shows it to the visitor. */
export interface VisitorMessage {
  id: string;
  seq: number;
  conversationId: string;
  author: 'customer' | 'agent' | 'person' | 'system';
  parts: Array<
    | { type: 'text'; text: string }
    | { type: 'choices'; choices: Array<{ id: string; title: string }> }
    | { type: 'choice-reply'; choiceId: string; title: string }
  >;
  text: string;
}

export interface WidgetVisitor {
  visitorId: string;
  /** Sends a message over the widget API; returns the stored message. */
  send(text: string, options?: { clientMessageId?: string }): Promise<VisitorMessage>;
  /** Presses a choice button. */
  choose(choiceId: string, title: string): Promise<VisitorMessage>;
  /** The visitor's history over the widget API, oldest first. */
  history(): Promise<VisitorMessage[]>;
  /** Waits until the visitor sees `count` messages by the agent, and returns them. */
  waitForAgentMessages(count: number): Promise<VisitorMessage[]>;
  /** The visitor's conversations in the store, newest first. */
  conversations(): Promise<Conversation[]>;
}

/** A web chat visitor of the test Parley's business, talking over real HTTP. */
export async function openWidgetVisitor(parley: TestParley): Promise<WidgetVisitor> {
  const base = `${parley.baseUrl}/api/widget/${parley.business.id}`;
  const created = await fetch(`${base}/visitors`, { method: 'POST' });
  expect(created.status).toBe(201);
  const { visitorId, token } = (await created.json()) as { visitorId: string; token: string };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

  async function post(body: Record<string, string>): Promise<VisitorMessage> {
    const response = await fetch(`${base}/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(202);
    return ((await response.json()) as { message: VisitorMessage }).message;
  }

  const visitor: WidgetVisitor = {
    visitorId,
    send: (text, options = {}) =>
      post({ clientMessageId: options.clientMessageId ?? randomUUID(), text }),
    choose: (choiceId, title) => post({ clientMessageId: randomUUID(), choiceId, text: title }),
    async history() {
      const response = await fetch(`${base}/messages`, { headers });
      expect(response.status).toBe(200);
      return ((await response.json()) as { messages: VisitorMessage[] }).messages;
    },
    waitForAgentMessages: (count) =>
      waitFor(`${count} agent message(s) in the visitor's history`, async () => {
        const agent = (await visitor.history()).filter((message) => message.author === 'agent');
        return agent.length >= count ? agent : null;
      }),
    async conversations() {
      const contact = await parley.store.contacts.findByIdentity(parley.business.id, {
        channel: 'web',
        externalId: visitorId,
      });
      if (!contact) return [];
      return parley.store.conversations.listForContact(parley.business.id, contact.id);
    },
  };
  return visitor;
}
