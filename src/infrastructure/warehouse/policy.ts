// The warehouse policy file: per dataset and column, its classification, description and how the
// masked class sees it. Validated by zod; types are derived from the schema.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { tableDef } from './tables.ts';

export const DEFAULT_POLICY_PATH = fileURLToPath(new URL('../../../warehouse/policy.yaml', import.meta.url));

export const MASKING_RULES = ['none', 'hash', 'last4', 'redact', 'year_only', 'nullify'] as const;

const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier');

const ColumnPolicy = z.strictObject({
  description: z.string().min(1, 'describe the column'),
  classification: z.string().regex(/^[a-z]+(\.[a-z0-9_]+)*$/, 'must look like pii.email').optional(),
  masking: z.enum(MASKING_RULES).default('none'),
});

const DatasetPolicy = z.strictObject({
  owner: identifier.or(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a team id like churn-analytics')),
  description: z.string().min(1, 'describe the dataset'),
  // SQL boolean expression over the dataset's raw columns; rows failing it are hidden from the masked class.
  rowFilter: z
    .string()
    .refine((s) => !/;|--|\/\*/.test(s), 'must be one SQL expression (no ";" or comments)')
    .optional(),
  columns: z.record(identifier, ColumnPolicy),
});

export const WarehousePolicySchema = z.strictObject({
  version: z.literal(1),
  datasets: z.record(identifier, DatasetPolicy),
});

export type WarehousePolicy = z.infer<typeof WarehousePolicySchema>;
export type DatasetPolicy = z.infer<typeof DatasetPolicy>;
export type ColumnPolicy = z.infer<typeof ColumnPolicy>;
export type MaskingRule = (typeof MASKING_RULES)[number];

export class PolicyError extends Error {
  override name = 'PolicyError';
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.length ? path.map(String).join('.') : '(top level)';
}

/** Checks that go beyond shape: the dataset and column exist, and each rule fits its column type. */
function checkAgainstTables(policy: WarehousePolicy): string[] {
  const problems: string[] = [];
  for (const [dataset, ds] of Object.entries(policy.datasets)) {
    const def = tableDef(dataset);
    if (!def) {
      problems.push(`datasets.${dataset}: no such warehouse table`);
      continue;
    }
    for (const [column, cp] of Object.entries(ds.columns)) {
      const at = `datasets.${dataset}.columns.${column}`;
      const colDef = def.columns.find((c) => c.name === column);
      if (!colDef) {
        problems.push(`${at}: table ${dataset} has no column ${column}`);
        continue;
      }
      if (cp.classification?.startsWith('pii.') && cp.masking === 'none') {
        problems.push(`${at}.masking: column is classified ${cp.classification}, so it needs a masking rule (${MASKING_RULES.filter((r) => r !== 'none').join(', ')})`);
      }
      const isText = colDef.type === 'text';
      if ((cp.masking === 'hash' || cp.masking === 'last4' || cp.masking === 'redact') && !isText) {
        problems.push(`${at}.masking: ${cp.masking} applies to text columns, ${column} is ${colDef.type}`);
      }
      if (cp.masking === 'year_only' && colDef.type !== 'date') {
        problems.push(`${at}.masking: year_only applies to date columns, ${column} is ${colDef.type}`);
      }
    }
  }
  return problems;
}

/** Parses and validates policy text; `source` names the file in error messages. */
export function parsePolicy(text: string, source = 'warehouse policy'): WarehousePolicy {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new PolicyError(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  const result = WarehousePolicySchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${fieldPath(i.path)}: ${i.message}`);
    throw new PolicyError(`${source} is invalid:\n${lines.join('\n')}`);
  }
  const problems = checkAgainstTables(result.data);
  if (problems.length) throw new PolicyError(`${source} is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return result.data;
}

export function loadPolicy(path = DEFAULT_POLICY_PATH): { policy: WarehousePolicy; text: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PolicyError(`cannot read warehouse policy ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return { policy: parsePolicy(text, path), text };
}
