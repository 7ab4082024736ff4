import {
  getLlama,
  LlamaLogLevel,
  LlamaChat,
  type ChatHistoryItem,
  type ChatModelFunctions,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
} from 'node-llama-cpp';
import { boundedSchema } from './bounded-schema.js';
import type {
  EmbedResult,
  EngineRequest,
  EngineResult,
  EngineSettings,
} from './engine-protocol.js';
import { LlamaEmbedder } from './llama-embedder.js';

/**
 * One GGUF model on llama.cpp (node-llama-cpp 3.21.1): a context with a fixed number of sequences
 * and a FIFO queue in front of them, because more concurrent callers than sequences would throw.
 */
export class LlamaEngine {
  readonly #free: LlamaContextSequence[] = [];
  readonly #waiting: Array<(sequence: LlamaContextSequence) => void> = [];
  readonly #embedder: LlamaEmbedder;

  private constructor(
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    settings: EngineSettings,
  ) {
    this.#embedder = new LlamaEmbedder(model, {
      contextSize: settings.contextSize,
      threads: settings.threads,
    });
    for (let index = 0; index < context.totalSequences; index++)
      this.#free.push(context.getSequence());
  }

  static async open(settings: EngineSettings): Promise<LlamaEngine> {
    // `build: 'never'`: use the prebuilt binary or fail fast; never try to compile on a server.
    const llama = await getLlama({
      build: 'never',
      gpu: false,
      maxThreads: settings.threads,
      logLevel: LlamaLogLevel.error,
    });
    const model = await llama.loadModel({ modelPath: settings.modelPath });
    const context = await model.createContext({
      contextSize: settings.contextSize,
      sequences: settings.sequences,
      threads: settings.threads,
    });
    return new LlamaEngine(llama, model, context, settings);
  }

  /** Callers waiting for a sequence. */
  get queued(): number {
    return this.#waiting.length;
  }

  /** Generates a reply; `onText` receives the reply's text as it is written (plain replies only). */
  async generate(
    request: EngineRequest,
    signal?: AbortSignal,
    onText?: (text: string) => void,
  ): Promise<EngineResult> {
    const sequence = await this.#acquire();
    const chat = new LlamaChat({ contextSequence: sequence });
    const before = sequence.tokenMeter.getState();
    try {
      const result = await this.#run(chat, request, signal, onText);
      const meter = sequence.tokenMeter.diff(before);
      return {
        ...result,
        inputTokens: meter.usedInputTokens,
        outputTokens: meter.usedOutputTokens,
      };
    } finally {
      chat.dispose({ disposeSequence: false });
      await sequence.clearHistory();
      this.#release(sequence);
    }
  }

  /** Embeds texts on the model's embedding context (see LlamaEmbedder for the queueing rule). */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<EmbedResult> {
    return this.#embedder.embed(texts, signal);
  }

  async close(): Promise<void> {
    await this.#embedder.close();
    await this.context.dispose();
    await this.model.dispose();
    await this.llama.dispose();
  }

  async #run(
    chat: LlamaChat,
    request: EngineRequest,
    signal: AbortSignal | undefined,
    onText: ((text: string) => void) | undefined,
  ): Promise<Omit<EngineResult, 'inputTokens' | 'outputTokens'>> {
    const history = toHistory(request);
    const common = {
      maxTokens: request.maxTokens,
      ...(signal ? { signal } : {}),
      ...(request.temperature !== null ? { temperature: request.temperature } : {}),
      ...(request.seed !== null ? { seed: request.seed } : {}),
    };
    const forced =
      request.tools.length > 0 && request.toolChoice !== 'auto' && request.toolChoice !== 'none';
    if (forced) {
      // A forced call is a JSON document {name, arguments} under a grammar built from the tools'
      // schemas: it always parses and always names a real tool.
      const choice = request.toolChoice;
      const tools =
        typeof choice === 'object'
          ? request.tools.filter((tool) => tool.name === choice.tool)
          : request.tools;
      const options = tools.map((tool) => ({
        type: 'object',
        properties: { name: { const: tool.name }, arguments: boundedSchema(tool.parameters) },
      }));
      const grammar = await this.llama.createGrammarForJsonSchema(
        (options.length === 1 ? options[0] : { oneOf: options }) as never,
      );
      const response = await chat.generateResponse(history, { ...common, grammar });
      const call = grammar.parse(response.response) as unknown as {
        name: string;
        arguments: unknown;
      };
      return {
        text: '',
        toolCalls: [{ name: call.name, arguments: call.arguments }],
        finish: 'tool-calls',
      };
    }
    if (request.jsonSchema) {
      const grammar = await this.llama.createGrammarForJsonSchema(
        boundedSchema(request.jsonSchema) as never,
      );
      const response = await chat.generateResponse(history, { ...common, grammar });
      return {
        text: response.response,
        toolCalls: [],
        finish: finishOf(response.metadata.stopReason),
      };
    }
    if (request.tools.length > 0 && request.toolChoice === 'auto') {
      const functions: ChatModelFunctions = Object.fromEntries(
        request.tools.map((tool) => [
          tool.name,
          { description: tool.description, params: boundedSchema(tool.parameters) as never },
        ]),
      );
      const response = await chat.generateResponse(history, { ...common, functions });
      const calls = response.functionCalls ?? [];
      if (calls.length > 0) {
        return {
          text: response.response,
          toolCalls: calls.map((call) => ({ name: call.functionName, arguments: call.params })),
          finish: 'tool-calls',
        };
      }
      return {
        text: response.response,
        toolCalls: [],
        finish: finishOf(response.metadata.stopReason),
      };
    }
    const response = await chat.generateResponse(history, {
      ...common,
      ...(onText ? { onTextChunk: onText } : {}),
    });
    return {
      text: response.response,
      toolCalls: [],
      finish: finishOf(response.metadata.stopReason),
    };
  }

  #acquire(): Promise<LlamaContextSequence> {
    const sequence = this.#free.pop();
    if (sequence) return Promise.resolve(sequence);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(sequence: LlamaContextSequence): void {
    const next = this.#waiting.shift();
    if (next) next(sequence);
    else this.#free.push(sequence);
  }
}

function finishOf(reason: string): 'stop' | 'length' {
  return reason === 'maxTokens' ? 'length' : 'stop';
}

function toHistory(request: EngineRequest): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = request.messages.map((message): ChatHistoryItem => {
    switch (message.role) {
      case 'system':
        return { type: 'system', text: message.text };
      case 'user':
        return { type: 'user', text: message.text };
      case 'assistant':
        return {
          type: 'model',
          response: [
            ...message.calls.map((call) => ({
              type: 'functionCall' as const,
              name: call.name,
              params: call.arguments,
              result: call.result,
            })),
            ...(message.text === '' ? [] : [message.text]),
          ],
        };
    }
  });
  // The reply the model writes next.
  history.push({ type: 'model', response: [] });
  return history;
}
