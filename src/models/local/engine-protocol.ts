// Messages between the embedded runtime and its worker thread: plain JSON, nothing native.

/** One turn of the conversation as the engine reads it. */
export type EngineMessage =
  | { role: 'system'; text: string }
  | { role: 'user'; text: string }
  | {
      role: 'assistant';
      text: string;
      /** Tool calls the model made, each with the result it got back. */
      calls: Array<{ name: string; arguments: unknown; result: unknown }>;
    };

export interface EngineTool {
  name: string;
  description?: string | undefined;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export interface EngineRequest {
  messages: EngineMessage[];
  tools: EngineTool[];
  /** `required` or a tool name forces a schema-constrained call; `auto` lets the model choose. */
  toolChoice: 'auto' | 'none' | 'required' | { tool: string };
  /** Constrain the reply to this JSON Schema (response format `json`). */
  jsonSchema: Record<string, unknown> | null;
  maxTokens: number;
  temperature: number | null;
  seed: number | null;
}

export interface EngineResult {
  text: string;
  toolCalls: Array<{ name: string; arguments: unknown }>;
  finish: 'stop' | 'length' | 'tool-calls';
  inputTokens: number;
  outputTokens: number;
}

/** Vectors for a batch of texts, in the order given, and the tokens the model read. */
export interface EmbedResult {
  vectors: number[][];
  inputTokens: number;
}

export interface EngineSettings {
  modelPath: string;
  /** CPU threads; on a 2-core machine more than the cores makes generation crawl. */
  threads: number;
  /** Parallel conversations (context sequences); more callers wait in a queue. */
  sequences: number;
  contextSize: number;
}

export type WorkerRequest =
  | { kind: 'generate'; id: number; request: EngineRequest; stream: boolean }
  | { kind: 'embed'; id: number; texts: string[] }
  | { kind: 'abort'; id: number }
  | { kind: 'close' };

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'failed'; message: string }
  | { kind: 'chunk'; id: number; text: string }
  | { kind: 'result'; id: number; result: EngineResult }
  | { kind: 'vectors'; id: number; result: EmbedResult }
  | { kind: 'error'; id: number; message: string }
  | { kind: 'closed' };
