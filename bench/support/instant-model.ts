import { MockLanguageModelV3 } from 'ai/test';
import type { ModelBinding } from '../../src/core/model.js';
import { AGENT_REPLY } from './customer-messages.js';

/**
 * A model that answers at once with plain text and no tool calls, so a turn's time is Parley's own:
 * reading the window, the AI SDK's call path, and committing the reply.
 */
export function createInstantModel(): ModelBinding {
  const model: MockLanguageModelV3 = new MockLanguageModelV3({
    modelId: 'instant',
    doGenerate: () => {
      // The mock keeps every call's prompt; thousands of turns would only grow the heap.
      model.doGenerateCalls.length = 0;
      return Promise.resolve({
        content: [{ type: 'text', text: AGENT_REPLY }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: { total: 400, noCache: 400, cacheRead: undefined, cacheWrite: undefined },
          outputTokens: { total: 12, text: 12, reasoning: undefined },
        },
        warnings: [],
      });
    },
  });
  return { model, name: 'instant (benchmark)', timeoutMs: 30_000 };
}
