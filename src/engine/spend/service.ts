import type pg from 'pg';
import { estimatePathCost, type PathCost } from '../../domain/spend/estimate.ts';
import type { RateCard } from '../../domain/spend/rate-card.ts';
import type { GoldenPath } from '../../domain/golden-path/schema.ts';
import type { Clock } from '../../domain/time/clock.ts';
import { RateCardFile } from './rate-card-file.ts';
import { SpendReports } from './reports.ts';
import { budgetExceeded } from './budgets.ts';

/** What the API and launch use of spend: the rate card, the reports, budgets and costs before launch. */
export class Spend {
  readonly rateCard: RateCardFile;
  readonly reports: SpendReports;
  readonly #pool: pg.Pool;

  /** `rateCard`: the platform's, already read at start; else one read from `policyDirs`. */
  constructor(opts: { pool: pg.Pool; clock?: Clock } & ({ rateCard: RateCardFile } | { policyDirs: readonly string[] })) {
    this.#pool = opts.pool;
    this.rateCard = 'rateCard' in opts ? opts.rateCard : new RateCardFile(opts.policyDirs);
    this.reports = new SpendReports({ db: opts.pool, card: () => this.rateCard.card(), clock: opts.clock });
  }

  card(): RateCard {
    return this.rateCard.card();
  }

  /** A path's estimated cost per day at the card's prices. */
  pathCost(path: GoldenPath): PathCost {
    return estimatePathCost(path.spec.resources, this.card());
  }

  /** For launch: whether the team has spent its monthly budget (the policy engine then refuses). */
  budgetExceeded = (team: string): Promise<boolean> => budgetExceeded(this.#pool, this.reports, team);
}
