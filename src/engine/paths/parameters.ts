import { Ajv, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: false, strict: false });
const cache = new WeakMap<object, ValidateFunction>();

export function compileParameters(schema: object): ValidateFunction {
  let v = cache.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    cache.set(schema, v);
  }
  return v;
}

export class ParameterError extends Error {
  readonly problems: { field: string; message: string }[];
  constructor(problems: { field: string; message: string }[]) {
    super(problems.map((p) => `parameter ${p.field}: ${p.message}`).join('; '));
    this.problems = problems;
  }
}

/** Validates launch parameters against the path's JSON Schema, filling defaults; throws ParameterError. */
export function resolveParameters(schema: object, given: Record<string, unknown>): Record<string, unknown> {
  const params = structuredClone(given);
  const validate = compileParameters(schema);
  if (validate(params)) return params;
  throw new ParameterError(
    (validate.errors ?? []).map((e) => {
      const field = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : String(e.params.missingProperty ?? e.params.additionalProperty ?? '(all)');
      let message = e.message ?? 'is not valid';
      if (e.keyword === 'additionalProperty' || e.keyword === 'additionalProperties') message = `"${e.params.additionalProperty}" is not a parameter of this path`;
      if (e.keyword === 'required') message = 'is required';
      if (e.keyword === 'enum') message = `must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
      return { field: e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : field, message };
    }),
  );
}

/** Turns `key=value` pairs from the CLI into typed values using the schema's property types. */
export function coerceParameterStrings(schema: { properties?: Record<string, { type?: unknown }> }, pairs: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(pairs)) {
    const t = schema.properties?.[k]?.type;
    if (t === 'integer' || t === 'number') out[k] = raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
    else if (t === 'boolean') out[k] = raw === 'true' ? true : raw === 'false' ? false : raw;
    else if (t === 'array') out[k] = raw.split(',').map((s) => s.trim()).filter(Boolean);
    else out[k] = raw;
  }
  return out;
}
