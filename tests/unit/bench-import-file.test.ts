/**
 * The file `npm run bench` imports: it must reach the size the target names and be accepted whole, or the
 * benchmark would time the refusal of a broken file instead of an import.
 */
import { importFileFor } from '../../bench/csv-import';
import { parseFiguresCsv } from '../../services/city/import/figures-csv';
import { validateSubmission } from '../../services/city/submissions/validation';
import { findMember, loadRegistry } from '../../services/common/registry';

const duisburg = findMember(loadRegistry(), 'duisburg');

describe('the benchmark import file', () => {
  const file = importFileFor(duisburg, 10_000, 2026);
  const parsed = parseFiguresCsv(file.csv);

  it('has at least 10,000 rows, every one read', () => {
    expect(file.rows).toBeGreaterThanOrEqual(10_000);
    expect(parsed.rowsRead).toBe(file.rows);
    expect(parsed.problems).toEqual([]);
  });

  it('passes the submission rules for every year the city can report, with the units it brings', () => {
    const rules = {
      firstYear: 2010,
      lastYear: 2026,
      units: new Map(file.units.map((unit) => [unit.id, { name: unit.name }])),
      recordsMigrationHistory: true,
    };
    const problems = parsed.submissions.flatMap(({ row, submission }) => validateSubmission(submission, rules).map((problem) => ({ row, problem })));
    expect(problems).toEqual([]);
    expect(new Set(parsed.submissions.map(({ submission }) => submission.input.year))).toEqual(new Set(Array.from({ length: 17 }, (_, index) => 2010 + index)));
  });

  it('is refused by the rules when a unit is missing from the city, so the check above can fail', () => {
    const rules = { firstYear: 2010, lastYear: 2026, units: new Map([['unit-001', { name: 'x' }]]), recordsMigrationHistory: true };
    expect(parsed.submissions.some(({ submission }) => validateSubmission(submission, rules).length > 0)).toBe(true);
  });
});
