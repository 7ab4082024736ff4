import { EU_COUNTRIES, type LicenceFacts } from './licence-facts.js';

const LLAMA_ATTRIBUTION =
  'Display "Built with Llama" prominently where the model is used, include the licence with any copy, and start the name of any model derived from it with "Llama".';
const LLAMA_EU = {
  countries: EU_COUNTRIES,
  reason:
    'the Acceptable Use Policy does not grant the rights to its multimodal models to companies whose principal place of business is in the European Union',
};

/**
 * Licence facts of common model families: a summary to warn before a use is forbidden, not legal
 * advice. Order matters: the first entry whose `match` fits the model name wins, so specific
 * variants (Llama 3.2 Vision, Qwen2.5 3B/72B, DeepSeek's Llama distills) come before their family.
 *
 * Checked against the published terms (Dec 2026), each entry citing its source:
 * - Llama 4: Llama 4 Community License (700M MAU, "Built with Llama", names start with "Llama")
 *   and its Acceptable Use Policy: the rights to Llama 4's multimodal models (Scout and Maverick
 *   are both natively multimodal) are not granted to an individual domiciled in, or a company
 *   with its principal place of business in, the EU; end users of a product built on them are
 *   not affected. https://huggingface.co/meta-llama/Llama-4-Maverick-17B-128E (licence text).
 * - Llama 3.2 / 3.3: the same AUP clause, for multimodal models only; Meta confirmed that the
 *   text-only 3.3 70B is not affected (huggingface.co/meta-llama/Llama-3.3-70B-Instruct/discussions/35).
 */
export const MODEL_LICENCES: readonly LicenceFacts[] = [
  {
    key: 'llama-4',
    family: 'Llama 4',
    match: /llama[-_ .]?4|llama4|scout-17b|maverick-17b/i,
    openWeights: true,
    licence: 'Llama 4 Community License',
    url: 'https://www.llama.com/llama4/license/',
    commercialUse: 'allowed',
    monthlyActiveUserLimit: 700_000_000,
    excludedDomiciles: LLAMA_EU,
    attribution: LLAMA_ATTRIBUTION,
  },
  {
    key: 'llama-3.2-vision',
    family: 'Llama 3.2 Vision',
    match: /llama[-_ .]?3\.2.*(vision|11b|90b)/i,
    openWeights: true,
    licence: 'Llama 3.2 Community License',
    url: 'https://www.llama.com/llama3_2/license/',
    commercialUse: 'allowed',
    monthlyActiveUserLimit: 700_000_000,
    excludedDomiciles: LLAMA_EU,
    attribution: LLAMA_ATTRIBUTION,
  },
  {
    key: 'llama-3',
    family: 'Llama 3',
    match: /llama[-_ .]?3/i,
    openWeights: true,
    licence: 'Llama 3.x Community License',
    url: 'https://www.llama.com/llama3_3/license/',
    commercialUse: 'allowed',
    monthlyActiveUserLimit: 700_000_000,
    excludedDomiciles: null,
    attribution: LLAMA_ATTRIBUTION,
  },
  {
    // DeepSeek's R1 distills of Llama 3.1 8B and Llama 3.3 70B keep the Llama 3.x licence
    // (DeepSeek-R1 model card, "License"); the Qwen distills are Apache-2.0 like their base.
    key: 'deepseek-distill-llama',
    family: 'DeepSeek-R1 Distill Llama',
    match: /deepseek.*(distill.*llama|llama.*distill)/i,
    openWeights: true,
    licence: 'Llama 3.1 / 3.3 Community License (distilled by DeepSeek)',
    url: 'https://huggingface.co/deepseek-ai/DeepSeek-R1-Distill-Llama-8B',
    commercialUse: 'allowed',
    monthlyActiveUserLimit: 700_000_000,
    excludedDomiciles: null,
    attribution: LLAMA_ATTRIBUTION,
  },
  {
    key: 'llama-2',
    family: 'Llama 2',
    match: /llama[-_ .]?2/i,
    openWeights: true,
    licence: 'Llama 2 Community License',
    url: 'https://ai.meta.com/llama/license/',
    commercialUse: 'allowed',
    monthlyActiveUserLimit: 700_000_000,
    excludedDomiciles: null,
    attribution: 'Include the licence with any copy of the model.',
  },
  {
    // Qwen2.5's 3B models are under the Qwen Research License: non-commercial use only
    // (huggingface.co/Qwen/Qwen2.5-3B-Instruct, licence "qwen-research"). Apache-2.0 covers the
    // other sizes; the 72B has the Qwen License below.
    key: 'qwen-research',
    family: 'Qwen2.5 3B',
    match: /qwen[-_ .]?2\.5.*\b3b\b/i,
    openWeights: true,
    licence: 'Qwen Research License',
    url: 'https://huggingface.co/Qwen/Qwen2.5-3B-Instruct/blob/main/LICENSE',
    commercialUse: 'forbidden',
    monthlyActiveUserLimit: null,
    excludedDomiciles: null,
    attribution: null,
  },
  {
    // Commercial use allowed; above 100M monthly active users a licence must be requested.
    key: 'qwen2.5-qwen-licence',
    family: 'Qwen2.5 72B',
    match: /qwen[-_ .]?2\.5.*\b72b\b/i,
    openWeights: true,
    licence: 'Qwen License',
    url: 'https://huggingface.co/Qwen/Qwen2.5-72B-Instruct/blob/main/LICENSE',
    commercialUse: 'allowed',
    monthlyActiveUserLimit: 100_000_000,
    excludedDomiciles: null,
    attribution: 'State "Built with Qwen" in the product documentation.',
  },
  {
    key: 'qwen',
    family: 'Qwen2.5 / Qwen3',
    match: /qwen/i,
    openWeights: true,
    licence: 'Apache-2.0',
    url: 'https://www.apache.org/licenses/LICENSE-2.0',
    commercialUse: 'allowed',
    monthlyActiveUserLimit: null,
    excludedDomiciles: null,
    attribution: 'Keep the licence and NOTICE file with any copy of the weights.',
  },
  {
    // docs.mistral.ai "open weight models": Mistral Large is under the Mistral Research License,
    // Codestral (22B) under the Non-Production License; Ministral 8B, Pixtral Large and Mistral
    // Small 2409 (22B) were released under the Research License too (their model cards). Mistral 7B,
    // Mixtral, Nemo, Codestral Mamba, Mathstral, Pixtral 12B and Mistral Small 3.x are Apache-2.0.
    key: 'codestral',
    family: 'Codestral',
    match: /codestral(?![-_ .]?mamba)/i,
    openWeights: true,
    licence: 'Mistral AI Non-Production License',
    url: 'https://mistral.ai/licenses/MNPL-0.1.md',
    commercialUse: 'forbidden',
    monthlyActiveUserLimit: null,
    excludedDomiciles: null,
    attribution: null,
  },
  {
    key: 'mistral-research',
    family: 'Mistral Large / Ministral 8B / Pixtral Large / Mistral Small 2409',
    match:
      /mistral[-_ .]?large|ministral[-_ .]?8b|pixtral[-_ .]?large|mistral[-_ .]?small.*(2409|22b)/i,
    openWeights: true,
    licence: 'Mistral Research License',
    url: 'https://mistral.ai/licenses/MRL-0.1.md',
    commercialUse: 'forbidden',
    monthlyActiveUserLimit: null,
    excludedDomiciles: null,
    attribution: null,
  },
  {
    key: 'mistral',
    family: 'Mistral 7B / Mixtral / Nemo / Small 3 / Codestral Mamba / Pixtral 12B',
    match: /mistral|mixtral|codestral[-_ .]?mamba|mathstral|pixtral/i,
    openWeights: true,
    licence: 'Apache-2.0',
    url: 'https://www.apache.org/licenses/LICENSE-2.0',
    commercialUse: 'allowed',
    monthlyActiveUserLimit: null,
    excludedDomiciles: null,
    attribution: 'Keep the licence with any copy of the weights.',
  },
  {
    key: 'gemma',
    family: 'Gemma',
    match: /gemma/i,
    openWeights: true,
    licence: 'Gemma Terms of Use',
    url: 'https://ai.google.dev/gemma/terms',
    commercialUse: 'allowed',
    monthlyActiveUserLimit: null,
    excludedDomiciles: null,
    attribution:
      'Pass the Gemma Terms of Use and its Prohibited Use Policy on to anyone you give the model to.',
  },
  {
    key: 'phi',
    family: 'Phi',
    match: /\bphi[-_ .]?[34]/i,
    openWeights: true,
    licence: 'MIT',
    url: 'https://opensource.org/license/mit',
    commercialUse: 'allowed',
    monthlyActiveUserLimit: null,
    excludedDomiciles: null,
    attribution: 'Keep the copyright notice with any copy of the weights.',
  },
  {
    key: 'deepseek',
    family: 'DeepSeek',
    match: /deepseek/i,
    openWeights: true,
    // R1 and V3-0324 are MIT; the first V3 and earlier models have the DeepSeek Model License,
    // which allows commercial use under use-based restrictions.
    licence: 'MIT (R1, V3-0324) or DeepSeek Model License (earlier V3)',
    url: 'https://github.com/deepseek-ai/DeepSeek-V3',
    commercialUse: 'allowed',
    monthlyActiveUserLimit: null,
    excludedDomiciles: null,
    attribution: null,
  },
  {
    // OpenAI's open-weight models (huggingface.co/openai/gpt-oss-20b: "license: apache-2.0").
    key: 'gpt-oss',
    family: 'gpt-oss',
    match: /gpt[-_ .]?oss/i,
    openWeights: true,
    licence: 'Apache-2.0 (with the gpt-oss usage policy)',
    url: 'https://huggingface.co/openai/gpt-oss-20b',
    commercialUse: 'allowed',
    monthlyActiveUserLimit: null,
    excludedDomiciles: null,
    attribution: 'Keep the licence with any copy of the weights.',
  },
  {
    key: 'openai',
    family: 'OpenAI GPT',
    match: /^(gpt-|o[134](-|$)|chatgpt|text-embedding-|whisper)/i,
    openWeights: false,
    licence: 'OpenAI Services Agreement (closed model, API only)',
    url: 'https://openai.com/policies/services-agreement/',
    commercialUse: 'allowed',
    monthlyActiveUserLimit: null,
    excludedDomiciles: null,
    attribution: null,
  },
  {
    key: 'anthropic',
    family: 'Anthropic Claude',
    match: /^claude/i,
    openWeights: false,
    licence: 'Anthropic Commercial Terms (closed model, API only)',
    url: 'https://www.anthropic.com/legal/commercial-terms',
    commercialUse: 'allowed',
    monthlyActiveUserLimit: null,
    excludedDomiciles: null,
    attribution: null,
  },
];

/** The licence facts for a model: by explicit registry key, else by matching its name. */
export function findLicence(model: string, key?: string | null): LicenceFacts | null {
  if (key) return MODEL_LICENCES.find((facts) => facts.key === key) ?? null;
  return MODEL_LICENCES.find((facts) => facts.match.test(model)) ?? null;
}
