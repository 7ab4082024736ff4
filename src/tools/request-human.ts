import { z } from 'zod';
import { defineTool } from '../core/agent-tool.js';

/** Hands the conversation to a person; the agent then stays silent until it is handed back. */
export const requestHuman = defineTool({
  name: 'request_human',
  description:
    'Hand the conversation to a person from the business. Use it when the customer asks for a person, when you cannot answer from the tools, or when the request needs a human decision. After calling it, tell the customer a person will reply here.',
  // Not strict, unlike the tools that read or change data: an extra key costs nothing here, and
  // refusing the call would leave a customer who asked for a person without one.
  inputSchema: z.object({
    reason: z.string().trim().min(1).max(200).describe('Why a person is needed, in a few words.'),
  }),
  execute({ reason }, { effects }) {
    effects.requestHuman(reason);
    return Promise.resolve({
      status: 'handed_off',
      note: 'A person will take over this conversation.',
    });
  },
});
