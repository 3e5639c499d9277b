/**
 * A minimal JSON Schema (2020-12) validator for exactly the keywords keyatlas.schema.json uses,
 * so the test can check the generated schema without a validator dependency. An unknown keyword
 * throws: a schema that grows beyond this subset must not pass unchecked.
 */
const KNOWN = new Set(['$schema', 'title', 'description', 'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'anyOf', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum']);

type Schema = Record<string, unknown>;

export function validate(schema: Schema, value: unknown, path = ''): string[] {
  for (const keyword of Object.keys(schema)) if (!KNOWN.has(keyword)) throw new Error(`json-schema-check: unsupported keyword "${keyword}" at ${path || '/'}`);
  const problems: string[] = [];
  const fail = (message: string) => problems.push(`${path || '/'}: ${message}`);
  const types = schema.type === undefined ? undefined : ([schema.type].flat() as string[]);
  if (types && !types.some((type) => hasType(value, type))) return [`${path || '/'}: not ${types.join(' or ')}`];
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) fail('not in enum');
  if (schema.anyOf && !(schema.anyOf as Schema[]).some((option) => validate(option, value, path).length === 0)) fail('matches no anyOf option');
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) fail('too short');
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) fail('too long');
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) fail('does not match pattern');
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) fail('below minimum');
    if (typeof schema.maximum === 'number' && value > schema.maximum) fail('above maximum');
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => problems.push(...validate(schema.items as Schema, item, `${path}/${i}`)));
  if (isObject(value)) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) if (!(name in value)) fail(`missing ${name}`);
    for (const [name, item] of Object.entries(value)) {
      if (properties[name]) problems.push(...validate(properties[name], item, `${path}/${name}`));
      else if (schema.additionalProperties === false) fail(`unexpected ${name}`);
    }
  }
  return problems;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      throw new Error(`json-schema-check: unsupported type "${type}"`);
  }
}
