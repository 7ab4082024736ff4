import type { DiscoveredServer } from './discover-model-servers.js';

/** A short catalog id for a model name (`qwen2.5:7b-instruct` → `qwen2-5-7b-instruct`). */
function catalogId(prefix: string, model: string): string {
  const id = `${prefix}-${model}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 48)
    .replace(/-$/, '');
  return id || prefix;
}

/** The business-file lines that route customer replies to a model on a server found here. */
export function serverSnippet(server: DiscoveredServer): string {
  const model = server.models[0] ?? 'MODEL-NAME';
  const id = catalogId(server.kind.replace('.', ''), model);
  return [
    'models:',
    '  catalog:',
    `    ${id}:`,
    '      provider: openai-compatible',
    `      baseUrl: ${server.baseUrl}`,
    `      model: ${JSON.stringify(model)}`,
    '  tasks:',
    `    customer-replies: ${id}`,
    '',
  ].join('\n');
}

/** The business-file lines that route customer replies to a pulled GGUF model. */
export function embeddedSnippet(name: string): string {
  return [
    'models:',
    '  catalog:',
    '    local:',
    '      provider: embedded',
    `      model: ${JSON.stringify(name)}`,
    '  tasks:',
    '    customer-replies: local',
    '',
  ].join('\n');
}
