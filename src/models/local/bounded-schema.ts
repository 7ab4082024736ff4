/** Longest string and array a grammar lets the model write when the schema sets no bound. */
const DEFAULT_MAX_LENGTH = 120;
const DEFAULT_MAX_ITEMS = 16;
const KEPT = new Set([
  'type',
  'properties',
  'required',
  'items',
  'enum',
  'const',
  'oneOf',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'description',
  'format',
]);

/**
 * A JSON Schema as llama.cpp's grammar builder accepts it, with every string and array bounded:
 * under greedy decoding an unbounded string may never close. `anyOf` becomes `oneOf`, nullable
 * type lists become alternatives, keywords the grammar cannot express are dropped.
 */
export function boundedSchema(schema: unknown): Record<string, unknown> {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return {};
  const source = schema as Record<string, unknown>;
  const alternatives = (source.oneOf ?? source.anyOf) as unknown[] | undefined;
  if (Array.isArray(alternatives)) return { oneOf: alternatives.map(boundedSchema) };
  if (Array.isArray(source.type)) {
    return { oneOf: (source.type as unknown[]).map((type) => boundedSchema({ ...source, type })) };
  }
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) if (KEPT.has(key)) result[key] = value;
  if (source.type === 'object' || source.properties) {
    const properties = (source.properties ?? {}) as Record<string, unknown>;
    result.type = 'object';
    result.properties = Object.fromEntries(
      Object.entries(properties).map(([name, property]) => [name, boundedSchema(property)]),
    );
  }
  if (source.type === 'array') result.items = boundedSchema(source.items ?? {});
  if (source.type === 'array' && result.maxItems === undefined) result.maxItems = DEFAULT_MAX_ITEMS;
  const isPlainString =
    source.type === 'string' && source.enum === undefined && source.const === undefined;
  if (isPlainString && result.maxLength === undefined) result.maxLength = DEFAULT_MAX_LENGTH;
  if (result.type === undefined && result.enum === undefined && result.const === undefined) {
    // "Anything": a bounded string is the safest thing a random or small model can produce.
    return { type: 'string', maxLength: DEFAULT_MAX_LENGTH };
  }
  return result;
}
