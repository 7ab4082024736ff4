import type { LanguageModelV3 } from '@ai-sdk/provider';

/** The model port: the AI SDK's provider interface, so any AI SDK provider plugs in. */
export type ChatModel = LanguageModelV3;

/** A configured model as the agent uses it. */
export interface ModelBinding {
  model: ChatModel;
  /** Human-readable name recorded on every step, e.g. `qwen2.5:7b-instruct`. */
  name: string;
  timeoutMs: number;
  /**
   * Whether every model that may answer reads images; then customers' recent photos are sent as
   * image parts, otherwise as a text note. Absent: no.
   */
  acceptsImages?: boolean;
}
