import DataLoader from 'dataloader';
import { NewHireFiguresRevision, StaffFiguresRevision, TraineeFiguresRevision, TrainingFiguresRevision, type StaffUnitFigures } from './entities';
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

  constructor(read: (filter: YearFilter) => Promise<Row[]>, readHistory: (years: readonly number[]) => Promise<Row[]>) {
    this.historyByYear = new DataLoader(async (years) => {
      const rows = await readHistory(years);
      return years.map((year) => rows.filter((row) => row.year === year));
    });
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
}

export class CityLoaders {
  readonly staff: YearlyFiguresLoader<StaffFiguresRevision>;
  readonly newHires: YearlyFiguresLoader<NewHireFiguresRevision>;
  readonly trainees: YearlyFiguresLoader<TraineeFiguresRevision>;
  readonly training: YearlyFiguresLoader<TrainingFiguresRevision>;
  readonly unitBreakdown: DataLoader<number, StaffUnitFigures[]>;

  constructor(store: FiguresStore) {
    this.staff = new YearlyFiguresLoader((filter) => store.staff(filter), (years) => store.history(StaffFiguresRevision, years));
    this.newHires = new YearlyFiguresLoader((filter) => store.newHires(filter), (years) => store.history(NewHireFiguresRevision, years));
    this.trainees = new YearlyFiguresLoader((filter) => store.trainees(filter), (years) => store.history(TraineeFiguresRevision, years));
    this.training = new YearlyFiguresLoader((filter) => store.training(filter), (years) => store.history(TrainingFiguresRevision, years));
    this.unitBreakdown = new DataLoader(async (staffFiguresIds) => {
      const rows = await store.unitBreakdowns(staffFiguresIds);
      return staffFiguresIds.map((id) => rows.filter((row) => row.staffFiguresId === id));
    });
  }
}
