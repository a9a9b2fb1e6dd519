import DataLoader from 'dataloader';
import type { RevisionPattern } from '../domain/suppression';
import { ConfidentialityMemo } from './confidentiality';
import { NewHireFiguresRevision, TraineeFiguresRevision, TrainingFiguresRevision, type StaffFiguresRevision, type StaffUnitFigures } from './entities';
import type { RevisedFigures } from './entities/revised-figures.entity';
import type { FiguresStore, YearFilter } from './figures.store';

/** The widest range a series may ask for (ranges are clamped to it); the database refuses other years anyway. */
export const EARLIEST_YEAR = 1990;
export const LATEST_YEAR = 2100;

export interface YearRange {
  from: number;
  to: number;
}

/**
 * Per-request batching of one figure table. Every year and every range that resolvers ask for in one request
 * becomes a single SQL statement, so a query's cost does not grow with the years or aliases it names.
 */
export class YearlyFiguresLoader<Row extends RevisedFigures> {
  private readonly byYear: DataLoader<number, Row[]>;
  private readonly byRange: DataLoader<YearRange, Row[], string>;
  private readonly historyByYear: DataLoader<number, Row[]>;
  private readonly historyByRange: DataLoader<YearRange, Row[], string>;

  constructor(read: (filter: YearFilter) => Promise<Row[]>, readHistory: (filter: YearFilter) => Promise<Row[]>) {
    this.historyByYear = new DataLoader(async (years) => {
      const rows = await readHistory({ years });
      return years.map((year) => rows.filter((row) => row.year === year));
    });
    this.historyByRange = new DataLoader(
      async (ranges) => {
        const from = Math.min(...ranges.map((range) => range.from));
        const to = Math.max(...ranges.map((range) => range.to));
        const rows = await readHistory({ from, to });
        for (let year = from; year <= to; year += 1) this.historyByYear.prime(year, rows.filter((row) => row.year === year));
        return ranges.map((range) => rows.filter((row) => row.year >= range.from && row.year <= range.to));
      },
      { cacheKeyFn: (range) => `${range.from}:${range.to}` },
    );
    this.byYear = new DataLoader(async (years) => {
      const rows = await read({ years });
      return years.map((year) => rows.filter((row) => row.year === year));
    });
    this.byRange = new DataLoader(
      async (ranges) => {
        const from = Math.min(...ranges.map((range) => range.from));
        const to = Math.max(...ranges.map((range) => range.to));
        const rows = await read({ from, to });
        // Later single-year asks within the range are answered from what was just read.
        for (let year = from; year <= to; year += 1) this.byYear.prime(year, rows.filter((row) => row.year === year));
        return ranges.map((range) => rows.filter((row) => row.year >= range.from && row.year <= range.to));
      },
      { cacheKeyFn: (range) => `${range.from}:${range.to}` },
    );
  }

  forYear(year: number): Promise<Row[]> {
    return this.byYear.load(year);
  }

  forRange(range: YearRange): Promise<Row[]> {
    return this.byRange.load(range);
  }

  /** Every revision of a year, oldest first. */
  historyOf(year: number): Promise<Row[]> {
    return this.historyByYear.load(year);
  }

  /** Every revision of the years in a range, by year and oldest first. */
  historyForRange(range: YearRange): Promise<Row[]> {
    return this.historyByRange.load(range);
  }
}

/** A revision, and the cells of it that are withheld from the reader (keys of services/domain/suppression). */
export interface WithheldFrom<Row> {
  row: Row;
  withheld: ReadonlySet<string>;
}

const NOTHING: ReadonlySet<string> = new Set();

/**
 * The figures as a confidential reader sees them: every revision with the cells withheld from it. The patterns
 * come from the year's whole history (read through the request's loaders, one statement for all years asked) and
 * are remembered per process (`ConfidentialityMemo`).
 */
export class WithheldFigures {
  constructor(
    private readonly loaders: Pick<CityLoaders, 'staff' | 'training'>,
    private readonly memo: ConfidentialityMemo,
  ) {}

  /** Every staff revision of the years in `range`, by year and oldest first. */
  async staffHistory(range: YearRange): Promise<Array<WithheldFrom<StaffFiguresRevision>>> {
    return this.staffPatterns(await this.loaders.staff.historyForRange(range));
  }

  /** Every staff revision of a year, oldest first. */
  async staffHistoryOf(year: number): Promise<Array<WithheldFrom<StaffFiguresRevision>>> {
    return this.staffPatterns(await this.loaders.staff.historyOf(year));
  }

  /** Every training revision of the years in `range` (of the units `keep` accepts), by year and oldest first. */
  async trainingHistory(range: YearRange, keep: (unitId: string) => boolean = () => true): Promise<Array<WithheldFrom<TrainingFiguresRevision>>> {
    return this.trainingPatterns((await this.loaders.training.historyForRange(range)).filter((row) => keep(row.unitId)));
  }

  /** Every training revision of a year (of the units `keep` accepts), oldest first. */
  async trainingHistoryOf(year: number, keep: (unitId: string) => boolean = () => true): Promise<Array<WithheldFrom<TrainingFiguresRevision>>> {
    return this.trainingPatterns((await this.loaders.training.historyOf(year)).filter((row) => keep(row.unitId)));
  }

  private async staffPatterns(rows: readonly StaffFiguresRevision[]): Promise<Array<WithheldFrom<StaffFiguresRevision>>> {
    return this.withPatterns(rows, (row) => `${row.year}`, (history) => this.memo.staff(history));
  }

  /** Each unit's corrections are a revision sequence of their own. */
  private async trainingPatterns(rows: readonly TrainingFiguresRevision[]): Promise<Array<WithheldFrom<TrainingFiguresRevision>>> {
    return this.withPatterns(rows, (row) => `${row.year}:${row.unitId}`, (history) => this.memo.training(history));
  }

  private async withPatterns<Row extends { id: number }>(
    rows: readonly Row[],
    historyKey: (row: Row) => string,
    patternsOf: (history: readonly Row[]) => Promise<RevisionPattern[]>,
  ): Promise<Array<WithheldFrom<Row>>> {
    const histories = new Map<string, Row[]>();
    for (const row of rows) histories.set(historyKey(row), [...(histories.get(historyKey(row)) ?? []), row]);
    const withheld = new Map<number, ReadonlySet<string>>();
    for (const history of histories.values()) {
      (await patternsOf(history)).forEach((pattern, index) => withheld.set(history[index]!.id, pattern.withheld));
    }
    return rows.map((row) => ({ row, withheld: withheld.get(row.id) ?? NOTHING }));
  }
}

/** Nothing withheld: what the city's own HR team and administrators see. */
export function unsuppressed<Row>(row: Row): WithheldFrom<Row> {
  return { row, withheld: NOTHING };
}

/** The latest revision of each history (by year, or by year and unit), in the order of their first appearance. */
export function latestOf<Row extends { year: number }>(rows: ReadonlyArray<WithheldFrom<Row>>, key: (row: Row) => string = (row) => `${row.year}`): Array<WithheldFrom<Row>> {
  const latest = new Map<string, WithheldFrom<Row>>();
  for (const entry of rows) latest.set(key(entry.row), entry);
  return [...latest.values()];
}

export class CityLoaders {
  readonly staff: YearlyFiguresLoader<StaffFiguresRevision>;
  readonly newHires: YearlyFiguresLoader<NewHireFiguresRevision>;
  readonly trainees: YearlyFiguresLoader<TraineeFiguresRevision>;
  readonly training: YearlyFiguresLoader<TrainingFiguresRevision>;
  readonly unitBreakdown: DataLoader<number, StaffUnitFigures[]>;
  readonly withheld: WithheldFigures;

  constructor(store: FiguresStore) {
    this.staff = new YearlyFiguresLoader(
      (filter) => store.staff(filter),
      async (filter) => {
        // The history comes with its breakdowns, which then need no statement of their own.
        const rows = await store.staffHistory(filter);
        for (const row of rows) this.unitBreakdown.prime(row.id, row.units ?? []);
        return rows;
      },
    );
    this.newHires = new YearlyFiguresLoader((filter) => store.newHires(filter), (filter) => store.history(NewHireFiguresRevision, filter));
    this.trainees = new YearlyFiguresLoader((filter) => store.trainees(filter), (filter) => store.history(TraineeFiguresRevision, filter));
    this.training = new YearlyFiguresLoader((filter) => store.training(filter), (filter) => store.history(TrainingFiguresRevision, filter));
    this.unitBreakdown = new DataLoader(async (staffFiguresIds) => {
      const rows = await store.unitBreakdowns(staffFiguresIds);
      return staffFiguresIds.map((id) => rows.filter((row) => row.staffFiguresId === id));
    });
    this.withheld = new WithheldFigures(this, confidentialityMemoOf(store));
  }
}

const memos = new WeakMap<FiguresStore, ConfidentialityMemo>();

/** One memo per city database and process: requests come and go, patterns stay. */
function confidentialityMemoOf(store: FiguresStore): ConfidentialityMemo {
  let memo = memos.get(store);
  if (!memo) {
    memo = new ConfidentialityMemo(store);
    memos.set(store, memo);
  }
  return memo;
}

/**
 * Computes what is withheld from confidential readers in every revision of every year, so that no reader waits for
 * it (and the solver is loaded and compiled before the first comes). Three statements; the patterns stay in the
 * process's memo and, those decided now, in the city's database. It yields to the event loop after each year. Returns how many revisions it covered.
 */
export async function warmWithheldFigures(store: FiguresStore): Promise<number> {
  // What an earlier start decided is read, not decided again: after a restart only new revisions take the solver.
  await confidentialityMemoOf(store).recallArchived();
  const loaders = new CityLoaders(store);
  const all = { from: EARLIEST_YEAR, to: LATEST_YEAR };
  // One statement each; every year's history is then answered from what they read.
  const [staff, training] = await Promise.all([loaders.staff.historyForRange(all), loaders.training.historyForRange(all)]);
  // Newest first: readers ask for the latest years first (the dashboard opens on the latest year reported).
  const years = [...new Set([...staff, ...training].map((row) => row.year))].sort((a, b) => b - a);
  for (const year of years) {
    await loaders.withheld.staffHistoryOf(year);
    await loaders.withheld.trainingHistoryOf(year);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return staff.length + training.length;
}
