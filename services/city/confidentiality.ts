import {
  protectStaffHistory,
  protectTrainingHistory,
  type RevisionPattern,
  type StaffCounts,
  type TrainingCounts,
} from '../domain/suppression';
import type { StaffFiguresRevision, TrainingFiguresRevision } from './entities';

/** How many revisions' patterns a process remembers (a few kilobytes each at most). */
const REMEMBERED_REVISIONS = 20_000;

/** A revision's pattern as the city keeps it: which sequence (`staff`, `training`), which revision. */
export interface KeptPattern {
  kind: string;
  revisionId: number;
  pattern: RevisionPattern;
}

/** Where a city keeps the patterns it decided (its own database: FiguresStore), so that a restart need not decide them again. */
export interface PatternArchive {
  keptPatterns(): Promise<KeptPattern[]>;
  keepPatterns(patterns: readonly KeptPattern[]): Promise<void>;
}

/**
 * The counts withheld from confidential readers, per revision, remembered for the life of the process and kept in
 * the archive. Revisions are immutable and appended only, and a revision's pattern depends on that revision and the
 * earlier ones of its year alone, so a revision's id identifies its pattern: a correction computes its own pattern
 * once, on top of the remembered ones before it, which never change.
 */
export class ConfidentialityMemo {
  private readonly patterns = new Map<string, RevisionPattern>();

  constructor(private readonly archive?: PatternArchive) {}

  /** Remembers the archive's patterns (the most recent REMEMBERED_REVISIONS of them); returns how many it read. */
  async recallArchived(): Promise<number> {
    const kept = (await this.archive?.keptPatterns()) ?? [];
    for (const { kind, revisionId, pattern } of kept) this.remember(`${kind}:${revisionId}`, pattern);
    return kept.length;
  }

  /** The patterns of one year's staff revisions (oldest first, each with its `units`). */
  staff(history: readonly StaffFiguresRevision[]): Promise<RevisionPattern[]> {
    return this.patternsOf('staff', history, (rows, decided) => protectStaffHistory(rows.map(staffCounts), decided));
  }

  /** The patterns of one unit's training revisions of one year (oldest first). */
  training(history: readonly TrainingFiguresRevision[]): Promise<RevisionPattern[]> {
    return this.patternsOf('training', history, (rows, decided) => protectTrainingHistory(rows.map(trainingCounts), decided));
  }

  private async patternsOf<Row extends { id: number }>(
    kind: string,
    history: readonly Row[],
    compute: (rows: readonly Row[], decided: readonly RevisionPattern[]) => Promise<RevisionPattern[]>,
  ): Promise<RevisionPattern[]> {
    const decided: RevisionPattern[] = [];
    for (const row of history) {
      const known = this.recall(`${kind}:${row.id}`);
      if (!known) break;
      decided.push(known);
    }
    if (decided.length === history.length) return decided;
    const patterns = await compute(history, decided);
    history.forEach((row, index) => this.remember(`${kind}:${row.id}`, patterns[index]!));
    const decidedNow = history.slice(decided.length).map((row, index) => ({ kind, revisionId: row.id, pattern: patterns[decided.length + index]! }));
    // Kept for the next start; should that fail, the patterns are in memory and a restart decides them again, alike.
    await this.archive?.keepPatterns(decidedNow).catch(() => undefined);
    return patterns;
  }

  private recall(key: string): RevisionPattern | undefined {
    const pattern = this.patterns.get(key);
    if (pattern) {
      // Least recently used goes first: a Map keeps insertion order.
      this.patterns.delete(key);
      this.patterns.set(key, pattern);
    }
    return pattern;
  }

  private remember(key: string, pattern: RevisionPattern): void {
    this.patterns.delete(key);
    this.patterns.set(key, pattern);
    while (this.patterns.size > REMEMBERED_REVISIONS) this.patterns.delete(this.patterns.keys().next().value!);
  }
}

function staffCounts(row: StaffFiguresRevision): StaffCounts {
  if (!row.units) throw new Error(`staff revision ${row.id} was read without its units`);
  return {
    headcount: row.headcount,
    respondents: row.respondents,
    withMigrationHistory: row.withMigrationHistory,
    withForeignNationality: row.withForeignNationality,
    units: row.units.map((unit) => ({
      unit: unit.unitId,
      headcount: unit.headcount,
      respondents: unit.respondents,
      withMigrationHistory: unit.withMigrationHistory,
    })),
  };
}

function trainingCounts(row: TrainingFiguresRevision): TrainingCounts {
  return { staffInScope: row.staffInScope, completed: row.completed };
}
