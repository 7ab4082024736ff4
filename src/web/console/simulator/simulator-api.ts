import { requestJson } from '../api/request-json.js';

export type SimulatedChannel = 'whatsapp' | 'messenger' | 'instagram';

/** One line of the simulated customer's chat (see the server's `SimulatorEntry`). */
export interface SimulatorEntry {
  id: string;
  from: 'customer' | 'business';
  at: string;
  text: string;
  choices: Array<{ id: string; title: string }>;
  kind: 'text' | 'buttons' | 'list' | 'quick-replies' | 'template';
}

export interface SimulatedCustomer {
  id: string;
  name: string;
}

/** The simulator's API (`PARLEY_SIMULATOR=true`); 404 when it is off. */
export const simulatorApi = {
  channels: () =>
    requestJson<{ channels: Array<{ channel: SimulatedChannel; accountId: string }> }>(
      '/api/simulator',
    ),
  write: (
    channel: SimulatedChannel,
    customer: SimulatedCustomer,
    input: { text: string } | { choice: { id: string; title: string } },
  ) =>
    requestJson<{ messageId: string; webhookStatus: number }>(
      `/api/simulator/${channel}/messages`,
      { method: 'POST', body: { customer, ...input } },
    ),
  transcript: (channel: SimulatedChannel, customerId: string) =>
    requestJson<{ entries: SimulatorEntry[] }>(
      `/api/simulator/${channel}/transcript?customerId=${encodeURIComponent(customerId)}`,
    ),
};
