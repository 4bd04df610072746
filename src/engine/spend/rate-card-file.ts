import { readFileSync, statSync } from 'node:fs';
import { RateCard } from '../../domain/spend/rate-card.ts';
import { PlatformError } from '../errors.ts';
import { formatFileError, governanceFileIn, parseYamlWithSchema, type FileError } from '../tools/yaml-schema.ts';

/**
 * Thrown when rate-card.yaml cannot be used, with its lines: the platform does not start on a broken
 * price list, and one broken after the start makes reports (and launches of teams with a budget)
 * answer 409 with what to fix rather than prices from nowhere.
 */
export class RateCardError extends PlatformError {
  readonly errors: FileError[];
  constructor(errors: FileError[]) {
    super(409, 'rate_card_invalid', `the rate card has ${errors.length} error${errors.length > 1 ? 's' : ''} (a platform admin fixes it; spend cannot be priced until then):\n${errors.map(formatFileError).join('\n')}`);
    this.errors = errors;
  }
}

export function parseRateCard(text: string, file: string): { card: RateCard } | { errors: FileError[] } {
  const parsed = parseYamlWithSchema(RateCard, text, file);
  return 'errors' in parsed ? parsed : { card: parsed.value };
}

/**
 * The rate card from the policy folders (the last folder holding rate-card.yaml wins: an
 * organisation's replaces the shipped one), read again when it changes.
 */
export class RateCardFile {
  readonly policyDirs: readonly string[];
  #cache?: { file: string; mtimeMs: number; size: number; card: RateCard };

  constructor(policyDirs: readonly string[]) {
    this.policyDirs = policyDirs;
  }

  get file(): string {
    return governanceFileIn(this.policyDirs, 'rate-card.yaml');
  }

  /** Throws RateCardError with lines. */
  card(): RateCard {
    const file = this.file;
    let stat;
    try {
      stat = statSync(file);
    } catch (e) {
      throw new RateCardError([{ file, line: null, field: null, message: `cannot be read (${(e as NodeJS.ErrnoException).code}); it prices what the platform provisions` }]);
    }
    const hit = this.#cache;
    if (hit && hit.file === file && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.card;
    const parsed = parseRateCard(readFileSync(file, 'utf8'), file);
    if ('errors' in parsed) throw new RateCardError(parsed.errors);
    this.#cache = { file, mtimeMs: stat.mtimeMs, size: stat.size, card: parsed.card };
    return parsed.card;
  }
}
