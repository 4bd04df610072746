import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';

/** One policy of the set: its id (from `@id`), its text, and where it was written. */
export interface PolicySource {
  id: string;
  text: string;
  file: string;
  line: number;
  effect: 'permit' | 'forbid';
  /** `@reason("…")`: the sentence a person reads when this policy decides against them. */
  reason?: string;
}

export interface PolicyBundle {
  schema: string;
  policies: PolicySource[];
  files: string[];
}

/** A policy file that cannot be used, with the place to fix it. */
export class PolicyFileError extends Error {
  readonly problems: { file: string; line: number; message: string }[];
  constructor(problems: { file: string; line: number; message: string }[]) {
    super(problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'));
    this.problems = problems;
  }
}

const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;
const describe = (e: { message: string; help?: string | null }): string => (e.help ? `${e.message} (${e.help})` : e.message);

/**
 * The policy files of the given folders, later folders overriding earlier ones file by file (an
 * organisation's `platform.cedar` replaces the shipped one; a new file adds to the set). Everything
 * is parsed and validated against the schema before any of it is used; every problem is reported
 * with its file and line.
 */
export function readPolicyFiles(dirs: string[]): PolicyBundle {
  const byName = new Map<string, string>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue; // an organisation's folder that does not exist yet adds nothing
    }
    for (const name of names.sort()) {
      if ((name.endsWith('.cedar') || name.endsWith('.cedarschema')) && statSync(join(dir, name)).isFile()) byName.set(name, join(dir, name));
    }
  }
  const files = [...byName.values()];
  const problems: { file: string; line: number; message: string }[] = [];
  const shown = (file: string) => relative(process.cwd(), file) || file;

  // Schema files are concatenated; an error's offset is mapped back to the file it falls in.
  let schema = '';
  const schemaParts: { file: string; start: number; text: string }[] = [];
  for (const file of files.filter((f) => f.endsWith('.cedarschema'))) {
    const text = readFileSync(file, 'utf8');
    schemaParts.push({ file, start: schema.length, text });
    schema += `${text}\n`;
  }
  const schemaCheck = cedar.checkParseSchema(schema);
  if (schemaCheck.type === 'failure') {
    for (const e of schemaCheck.errors) {
      const at = e.sourceLocations?.[0]?.start ?? 0;
      const part = schemaParts.findLast((p) => p.start <= at) ?? schemaParts[0];
      problems.push({ file: shown(part?.file ?? '(no schema)'), line: part ? lineAt(part.text, at - part.start) : 1, message: describe(e) });
    }
    throw new PolicyFileError(problems);
  }

  const policies: PolicySource[] = [];
  for (const file of files.filter((f) => f.endsWith('.cedar'))) {
    const text = readFileSync(file, 'utf8');
    const parts = cedar.policySetTextToParts(text);
    if (parts.type === 'failure') {
      for (const e of parts.errors) problems.push({ file: shown(file), line: lineAt(text, e.sourceLocations?.[0]?.start ?? 0), message: describe(e) });
      continue;
    }
    if (parts.policy_templates.length) problems.push({ file: shown(file), line: 1, message: 'templates are not used here: write each policy out' });
    for (const part of parts.policies) {
      // The parts do not come back in source order: look for each from the start (its @id makes it unique).
      const offset = text.indexOf(part);
      const line = lineAt(text, Math.max(offset, 0));
      const json = cedar.policyToJson(part);
      const annotations = json.type === 'success' ? (json.json.annotations ?? {}) : {};
      const id = annotations.id;
      if (!id || json.type === 'failure') {
        problems.push({ file: shown(file), line, message: 'every policy needs an @id("…") annotation: decisions and the audit log name policies by it' });
        continue;
      }
      const twin = policies.find((p) => p.id === id);
      if (twin) {
        problems.push({ file: shown(file), line, message: `the id "${id}" is already used at ${twin.file}:${twin.line}` });
        continue;
      }
      policies.push({ id, text: part, file: shown(file), line, effect: json.json.effect, reason: annotations.reason ?? undefined });
    }
  }
  if (problems.length === 0) {
    const validation = cedar.validate({ schema, policies: { staticPolicies: Object.fromEntries(policies.map((p) => [p.id, p.text])) } });
    if (validation.type === 'failure') {
      for (const e of validation.errors) problems.push({ file: shown(files[0] ?? '(policies)'), line: 1, message: describe(e) });
    } else {
      for (const v of validation.validationErrors) {
        const p = policies.find((x) => x.id === v.policyId)!;
        const at = v.error.sourceLocations?.[0]?.start ?? 0;
        problems.push({ file: p.file, line: p.line + lineAt(p.text, at) - 1, message: describe(v.error) });
      }
    }
  }
  if (problems.length) throw new PolicyFileError(problems);
  return { schema, policies, files };
}
