import { glob, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { formatDocumentError, isGlob, placeholderTargets, type DocumentError } from '../../domain/catalog/descriptor-files.ts';
import type { LocationTargets } from '../../domain/catalog/locations.ts';
import { CliError, type ApiClient } from '../client.ts';
import { dim, red } from '../format.ts';
import { print, printJson } from '../output.ts';

/**
 * `goldpath catalog import <folder|file|glob>`: finds the descriptor files and sends them as they
 * are, a few MB per request, to an import session; the server parses and checks them (the CLI loads
 * no YAML parser). Files that placeholders name go along with their descriptor; the Location
 * targets the server finds come back and are read and sent in turn (each file once: cycles end).
 * The commit then removes what the source held before and the files no longer list.
 */

/**
 * Bytes of file text per request: large enough to amortise a request, small enough that the server
 * holds little of an import at a time (its limit is 64 MB; a larger file goes alone, whole).
 */
const CHUNK_BYTES = 2 * 1024 * 1024;
/** Requests in flight: the server parses one chunk while the database writes the other. */
const IN_FLIGHT = 2;

const isYaml = (f: string) => /\.ya?ml$/i.test(f);
const skipDirs = new Set(['node_modules', '.git']);
const looksLikeDescriptors = (text: string) => /^(apiVersion|kind)\s*:/m.test(text);

interface ChunkResult { files: number; entities: number; written: number; unchanged: number; errors: DocumentError[]; locations: LocationTargets[] }
interface CommitResult { source: string; entities: number; removed: string[]; kept: number }
interface SentFile { path: string; text: string }

async function walk(dir: string, out: string[]): Promise<void> {
  for (const d of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (d.isDirectory() && !skipDirs.has(d.name) && !d.name.startsWith('.')) await walk(join(dir, d.name), out);
    else if (d.isFile() && isYaml(d.name)) out.push(join(dir, d.name));
  }
}

async function expandGlob(pattern: string): Promise<string[]> {
  const out: string[] = [];
  for await (const f of glob(pattern)) out.push(resolve(f));
  return out.sort();
}

/** What was named: the files to start from, the folder labels are relative to, and a default source name. */
async function startingFiles(target: string): Promise<{ files: string[]; base: string; name: string; walked: boolean }> {
  if (isGlob(target)) {
    const files: string[] = [];
    for (const f of await expandGlob(target)) if ((await stat(f)).isFile()) files.push(f);
    const fixed = target.split(/[\\/]/).filter((p) => p && !isGlob(p));
    return { files, base: process.cwd(), name: fixed.at(-1) ?? 'glob', walked: true };
  }
  const root = resolve(target);
  const info = await stat(root).catch(() => {
    throw new CliError(`${target}: no such file or directory`);
  });
  if (!info.isDirectory()) return { files: [root], base: dirname(root), name: basename(root), walked: false };
  const files: string[] = [];
  await walk(root, files);
  return { files, base: dirname(root), name: basename(root), walked: true };
}

class Progress {
  private readonly on: boolean;
  private readonly start = performance.now();
  private last = 0;
  constructor(quiet: boolean) {
    this.on = !quiet && process.stderr.isTTY === true;
  }
  show(done: number, total: number, entities: number, final = false): void {
    if (!this.on) return;
    const now = performance.now();
    if (!final && now - this.last < 200) return;
    this.last = now;
    const seconds = (now - this.start) / 1000;
    const rate = seconds > 0 ? Math.round(entities / seconds) : 0;
    const eta = done > 0 && done < total ? ` · about ${Math.ceil((seconds * (total - done)) / done)} s left` : '';
    process.stderr.write(`\r\x1b[2Kfiles ${done.toLocaleString('en')}/${total.toLocaleString('en')} · ${entities.toLocaleString('en')} entities · ${rate.toLocaleString('en')}/s${eta}${final ? '\n' : ''}`);
  }
  clear(): void {
    if (this.on) process.stderr.write('\r\x1b[2K');
  }
}

export async function importCatalog(client: ApiClient, target: string, opts: { source?: string; json?: boolean }): Promise<number> {
  const start = await startingFiles(target);
  const label = (f: string) => relative(start.base, f).split(sep).join('/');
  const onDisk = (l: string) => resolve(start.base, l);
  const source = opts.source ?? `import:${start.name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`;
  const progress = new Progress(opts.json === true);
  const errors: DocumentError[] = [];
  const skipped: string[] = [];
  const say = (e: DocumentError) => {
    errors.push(e);
    if (!opts.json) {
      progress.clear();
      process.stderr.write(red(formatDocumentError(e)) + '\n');
    }
  };

  // Files still to send; `seen` holds every file ever queued, so a Location cycle ends.
  const queue: { file: string; walked: boolean }[] = start.files.map((file) => ({ file, walked: start.walked }));
  const seen = new Set(start.files);
  let total = queue.length;
  let done = 0;
  const totals = { files: 0, entities: 0, written: 0, unchanged: 0 };

  const session = await client.request<{ id: string; source: string }>('POST', '/api/v1/catalog/imports', { source });
  const follow = async (loc: LocationTargets) => {
    for (const s of loc.skipped) if (!opts.json) process.stderr.write(dim(`${loc.file} document ${loc.document} ${loc.entity}: ${s.target} not followed: ${s.reason}`) + '\n');
    for (const t of loc.targets) {
      const matches = isGlob(t) ? await expandGlob(onDisk(t)) : [onDisk(t)];
      const missing = isGlob(t) ? matches.length === 0 : !(await stat(matches[0]).then((s) => s.isFile(), () => false));
      if (missing) {
        if (!loc.optional) say({ file: loc.file, document: loc.document, line: loc.line, entity: loc.entity, errors: [{ field: 'spec.target', message: `${t}: ${isGlob(t) ? 'nothing matches' : 'no such file'} (relative to ${loc.file})` }] });
        continue;
      }
      for (const m of matches) {
        if (seen.has(m)) continue;
        seen.add(m);
        queue.push({ file: m, walked: false });
        total++;
      }
    }
  };

  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  const send = (files: SentFile[], attachments: SentFile[]) => {
    const p = client.request<ChunkResult>('POST', '/api/v1/catalog/imports/chunks', { import: session.id, files, attachments }).then(async (r) => {
      totals.files += r.files;
      totals.entities += r.entities;
      totals.written += r.written;
      totals.unchanged += r.unchanged;
      done += files.length;
      for (const e of r.errors) say(e);
      for (const loc of r.locations) await follow(loc);
      progress.show(done, total, totals.entities);
    }).catch((e: unknown) => {
      failure ??= e;
    }).finally(() => inFlight.delete(p));
    inFlight.add(p);
    return p;
  };

  try {
    let files: SentFile[] = [];
    let attachments: SentFile[] = [];
    let attached = new Set<string>();
    let bytes = 0;
    const flush = async () => {
      if (!files.length) return;
      send(files, attachments);
      [files, attachments, attached, bytes] = [[], [], new Set(), 0];
      while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      if (failure) throw failure;
    };
    for (;;) {
      if (!queue.length) {
        await flush();
        if (!inFlight.size) break;
        // Wait for an answer: it may name Location targets to send next.
        await Promise.race(inFlight);
        if (failure) throw failure;
        continue;
      }
      const { file, walked } = queue.shift()!;
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text === null) {
        say({ file: label(file), document: 0, line: null, entity: null, errors: [{ field: '(file)', message: 'cannot be read' }] });
        done++;
        continue;
      }
      // In a folder, a YAML file that is not a descriptor (an openapi.yaml beside catalog-info.yaml) is skipped.
      if (walked && !looksLikeDescriptors(text)) {
        skipped.push(label(file));
        done++;
        continue;
      }
      const path = label(file);
      files.push({ path, text });
      bytes += text.length;
      for (const p of placeholderTargets(path, text)) {
        if (attached.has(p)) continue;
        attached.add(p);
        const body = await readFile(onDisk(p), 'utf8').catch(() => null);
        if (body === null) continue; // the server names the placeholder and its file in the entity's error
        attachments.push({ path: p, text: body });
        bytes += body.length;
      }
      if (bytes >= CHUNK_BYTES) await flush();
    }
  } catch (e) {
    progress.clear();
    await Promise.all(inFlight);
    await client.request('DELETE', `/api/v1/catalog/imports/${session.id}`).catch(() => {});
    throw e;
  }
  progress.show(done, total, totals.entities, true);
  if (totals.files === 0 && errors.length === 0) {
    await client.request('DELETE', `/api/v1/catalog/imports/${session.id}`).catch(() => {});
    throw new CliError(`no catalog descriptors in ${target} (looked for .yaml/.yml files with apiVersion and kind)`);
  }
  const commit = await client.request<CommitResult>('POST', `/api/v1/catalog/imports/${session.id}/commit`);
  if (opts.json) {
    printJson({ imported: errors.length === 0, source: commit.source, files: totals.files, entities: totals.entities, written: totals.written, unchanged: totals.unchanged, removed: commit.removed, kept: commit.kept, skipped, errors });
  } else {
    const failed = errors.length ? red(`; ${errors.length} bad document(s) or file(s) not imported (listed above)`) : '';
    print(`imported ${totals.entities.toLocaleString('en')} entities from ${totals.files} file(s) as source ${commit.source}: ${totals.written} written, ${totals.unchanged} unchanged, ${commit.removed.length} removed${failed}`);
    for (const r of commit.removed.slice(0, 50)) print(dim(`  removed ${r} (no longer in these files)`));
    if (commit.removed.length > 50) print(dim(`  … and ${commit.removed.length - 50} more`));
    if (commit.kept) print(dim(`  kept ${commit.kept} entities no longer in these files, because some documents were bad: fix them and import again`));
    if (skipped.length) print(dim(`  skipped (not descriptors): ${skipped.join(', ')}`));
  }
  return errors.length ? 1 : 0;
}
