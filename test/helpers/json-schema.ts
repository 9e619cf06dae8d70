/**
 * A small JSON-schema checker for the subset the GitHub OpenAPI document and our GitLab contract
 * use: type (incl. `nullable` and type arrays), enum, required, properties, additionalProperties,
 * items, minItems/maxItems, minLength/maxLength, minimum/maximum, oneOf/anyOf/allOf.
 */
export interface Schema {
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(want: string, got: string): boolean {
  return want === got || (want === 'number' && got === 'integer');
}

/**
 * Every violation of `schema` by `value`, as `path: problem` lines (empty: valid). With `partial`,
 * required fields may be missing (for hand-made fixtures that hold only the fields a test needs).
 */
export function validate(schema: Schema, value: unknown, path = '$', partial = false): string[] {
  const errors: string[] = [];
  const check = (s: Schema, v: unknown, p: string) => validate(s, v, p, partial);
  if (schema.allOf) for (const s of schema.allOf) errors.push(...check(s, value, path));
  for (const key of ['oneOf', 'anyOf'] as const) {
    const alts = schema[key];
    if (alts && !alts.some((s) => check(s, value, path).length === 0)) {
      errors.push(`${path}: matches none of ${key}`);
    }
  }
  const got = typeOf(value);
  if (value === null && schema.nullable) return errors;
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, got))) {
      errors.push(`${path}: expected ${types.join('|')}, got ${got}`);
      return errors;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) {
    errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      errors.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      errors.push(`${path}: longer than ${schema.maxLength}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum)
      errors.push(`${path}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      errors.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      errors.push(`${path}: more than ${schema.maxItems} items`);
    if (schema.items)
      value.forEach((v, i) => errors.push(...check(schema.items as Schema, v, `${path}[${i}]`)));
  }
  if (got === 'object') {
    const obj = value as Record<string, unknown>;
    if (!partial)
      for (const r of schema.required ?? []) if (!(r in obj)) errors.push(`${path}: missing required "${r}"`);
    for (const [k, v] of Object.entries(obj)) {
      const prop = schema.properties?.[k];
      if (prop) errors.push(...check(prop, v, `${path}.${k}`));
      else if (schema.additionalProperties === false) errors.push(`${path}: unknown field "${k}"`);
      else if (typeof schema.additionalProperties === 'object') {
        errors.push(...check(schema.additionalProperties, v, `${path}.${k}`));
      }
    }
  }
  return errors;
}

/** Replaces every `{"$ref": "#/…"}` in `node` by what it points at inside `root` (cycles cut at depth 40). */
export function deref<T>(root: unknown, node: T, depth = 0): T {
  if (depth > 40 || node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) return node.map((n: unknown) => deref(root, n, depth + 1)) as T;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    let target: unknown = root;
    for (const part of ref.slice(2).split('/'))
      target = (target as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    return deref(root, target as T, depth + 1);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = deref(root, v, depth + 1);
  return out as T;
}
