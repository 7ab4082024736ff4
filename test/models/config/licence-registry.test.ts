import { describe, expect, it } from 'vitest';
import { checkModelLicence } from '../../../src/models/licences/check-model-licence.js';
import { findLicence } from '../../../src/models/licences/model-licences.js';

const profile = { domicile: 'DE', monthlyActiveUsers: 2000 };

describe('the licence registry', () => {
  it.each([
    // Model names as Ollama, Hugging Face and hosted APIs spell them.
    ['llama4:scout', 'llama-4'],
    ['meta-llama/Llama-3.2-11B-Vision-Instruct', 'llama-3.2-vision'],
    ['llama3.3:70b', 'llama-3'],
    ['deepseek-r1:8b-llama-distill', 'deepseek-distill-llama'],
    ['DeepSeek-R1-Distill-Llama-8B-Q4_K_M.gguf', 'deepseek-distill-llama'],
    ['DeepSeek-R1-Distill-Qwen-7B', 'qwen'], // Apache-2.0 like its Qwen2.5 base
    ['deepseek-v3', 'deepseek'],
    ['qwen2.5:3b-instruct', 'qwen-research'],
    ['Qwen2.5-72B-Instruct', 'qwen2.5-qwen-licence'],
    ['qwen2.5:7b-instruct', 'qwen'],
    ['qwen3:30b-a3b', 'qwen'],
    ['codestral:22b', 'codestral'],
    ['codestral-mamba', 'mistral'],
    ['mistral-large-2411', 'mistral-research'],
    ['ministral-8b-instruct-2410', 'mistral-research'],
    ['mistral-small:24b', 'mistral'],
    ['gpt-oss:20b', 'gpt-oss'],
    ['gpt-4.1-mini', 'openai'],
    ['gemma3:4b', 'gemma'],
  ])('%s has the facts of %s', (model, key) => {
    expect(findLicence(model)?.key).toBe(key);
  });

  it('refuses, with the reason, what the terms exclude', () => {
    const check = (model: string) => checkModelLicence({ id: 'm', model, licence: null }, profile);
    expect(check('qwen2.5:3b-instruct')).toMatchObject({
      status: 'refused',
      reasons: [expect.stringMatching(/Qwen Research License.*commercial use/) as string],
    });
    expect(check('codestral:22b').status).toBe('refused');
    expect(check('llama4:scout')).toMatchObject({
      status: 'refused',
      reasons: [expect.stringMatching(/domicile DE.*European Union/) as string],
    });
    // An open-weight gpt-oss is not OpenAI's closed API.
    expect(check('gpt-oss:20b')).toMatchObject({
      status: 'allowed',
      facts: { openWeights: true },
    });
    expect(check('llama3.3:70b').status).toBe('allowed');
  });

  it('allows a model it knows nothing about, with a warning to read its licence', () => {
    expect(
      checkModelLicence({ id: 'house', model: 'acme-chat-7b', licence: null }, profile),
    ).toMatchObject({
      status: 'unknown',
      facts: null,
      reasons: [expect.stringMatching(/no licence facts for acme-chat-7b/) as string],
    });
  });
});
