import { basename, resolve } from 'node:path';
import { formatDocumentError } from '../../domain/catalog/parse.ts';
import { readCatalogPath } from '../../engine/catalog/import.ts';
import { CliError, type ApiClient } from '../client.ts';
import { dim, red } from '../format.ts';
import { print, printJson } from '../output.ts';

/** `goldpath catalog import`: reads and checks the files here (YAML parser and validators), then sends them. */
export async function importCatalog(client: ApiClient, path: string, opts: { source?: string; json?: boolean }): Promise<number> {
  // Read and checked here, so every bad document is listed at once and nothing is sent.
  const read = await readCatalogPath(path).catch((e: Error) => {
    throw new CliError(e.message);
  });
  if (read.errors.length) {
    if (opts.json) printJson({ imported: false, errors: read.errors });
    else {
      for (const e of read.errors) process.stderr.write(red(formatDocumentError(e)) + '\n');
    }
    throw new CliError(`${read.errors.length} bad document(s): nothing was imported`);
  }
  if (read.entities.length === 0) throw new CliError(`no catalog descriptors in ${path} (looked for .yaml/.yml files with apiVersion and kind)`);
  const source = opts.source ?? `import:${basename(resolve(path)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`;
  const result = await client.request<{ source: string; written: number; unchanged: number; removed: string[] }>('POST', '/api/v1/catalog/entities', {
    entities: read.entities.map((e) => e.entity), source, replace: true,
  });
  if (opts.json) printJson({ imported: true, files: read.files, skipped: read.skipped, ...result });
  else {
    print(`imported ${read.entities.length} entities from ${read.files.length} file(s) as source ${result.source}: ${result.written} written, ${result.unchanged} unchanged, ${result.removed.length} removed`);
    for (const r of result.removed) print(dim(`  removed ${r} (no longer in these files)`));
    if (read.skipped.length) print(dim(`  skipped (not descriptors): ${read.skipped.join(', ')}`));
  }
  return 0;
}
