import { allocate, DEMO_YEARS, demoFigures, ESTIMATE_NOTE } from '../../services/city/demo/demo-figures';
import { loadPublicFigures } from '../../services/city/demo/public-figures';
import { DEFAULT_UNITS } from '../../services/city/units';
import { findMember, loadRegistry } from '../../services/common/registry';

const registry = loadRegistry();
const published = loadPublicFigures();
const figuresOf = (id: string) => demoFigures(findMember(registry, id), DEFAULT_UNITS, published);

describe('demo figures', () => {
  it('are the same on every run', () => {
    expect(figuresOf('essen')).toEqual(figuresOf('essen'));
    expect(figuresOf('essen')).not.toEqual(figuresOf('bochum'));
  });

  it('cover 2010 to 2024 for every member', () => {
    for (const member of registry.members) {
      const figures = figuresOf(member.id);
      const years = Array.from({ length: DEMO_YEARS.to - DEMO_YEARS.from + 1 }, (_, index) => DEMO_YEARS.from + index);
      expect(figures.staff.map((row) => row.year)).toEqual(years);
      expect(figures.trainees.map((row) => row.year)).toEqual(years);
      expect(figures.newHires.map((row) => row.year)).toEqual(years);
      expect(new Set(figures.training.map((row) => row.year))).toEqual(new Set(years));
    }
  });

  it('hold together: breakdowns add up, no count exceeds the one it is part of', () => {
    for (const member of registry.members) {
      for (const staff of figuresOf(member.id).staff) {
        expect(staff.withMigrationHistory ?? 0).toBeLessThanOrEqual(staff.respondents ?? 0);
        expect(staff.respondents ?? 0).toBeLessThanOrEqual(staff.headcount);
        if (!staff.units) continue;
        expect(staff.units.reduce((sum, unit) => sum + unit.headcount, 0)).toBe(staff.headcount);
        expect(staff.units.reduce((sum, unit) => sum + (unit.respondents ?? 0), 0)).toBe(staff.respondents ?? 0);
        expect(staff.units.reduce((sum, unit) => sum + (unit.withMigrationHistory ?? 0), 0)).toBe(staff.withMigrationHistory ?? 0);
        for (const unit of staff.units) {
          expect(unit.respondents ?? 0).toBeLessThanOrEqual(unit.headcount);
          expect(unit.withMigrationHistory ?? 0).toBeLessThanOrEqual(unit.respondents ?? 0);
        }
      }
      for (const training of figuresOf(member.id).training) expect(training.completed).toBeLessThanOrEqual(training.staffInScope);
    }
  });

  it('use published figures with their source', () => {
    const muelheim2021 = figuresOf('muelheim').trainees.find((row) => row.year === 2021)!;
    expect(muelheim2021).toMatchObject({ intake: 59, withMigrationHistory: 20, provenance: { kind: 'OFFICIAL', source: 'WAZ, article 232358759' } });
    const herne2021 = figuresOf('herne').staff.find((row) => row.year === 2021)!;
    expect(herne2021).toMatchObject({ headcount: 3001, withForeignNationality: 94, provenance: { kind: 'OFFICIAL' } });
    const gelsenkirchen2015 = figuresOf('gelsenkirchen').trainees.find((row) => row.year === 2015)!;
    expect(gelsenkirchen2015.provenance.source).toMatch(/transcription confidence: medium/);
  });

  it('keep a published share and mark the estimated counts around it as an estimate', () => {
    const dortmund2015 = figuresOf('dortmund').trainees.find((row) => row.year === 2015)!;
    expect(dortmund2015.withMigrationHistory! / dortmund2015.intake).toBeCloseTo(0.2, 1);
    expect(dortmund2015.provenance).toMatchObject({ kind: 'ESTIMATE', source: expect.stringContaining('nordstadtblogger') });
    expect(dortmund2015.provenance.note).toMatch(/share \(20 %\) is published/);
  });

  it('mark every other figure as an estimate', () => {
    const essen = figuresOf('essen');
    for (const row of [...essen.staff, ...essen.trainees, ...essen.newHires, ...essen.training]) {
      expect(row.provenance).toEqual({ kind: 'ESTIMATE', source: null, note: ESTIMATE_NOTE });
    }
  });

  it('leave migration history unrecorded where a city records nationality only (Herne)', () => {
    const herne = figuresOf('herne');
    expect(herne.staff.every((row) => row.withMigrationHistory === null && row.respondents === null)).toBe(true);
    expect(herne.trainees.every((row) => row.withMigrationHistory === null)).toBe(true);
    expect(herne.staff.every((row) => row.withForeignNationality !== null)).toBe(true);
  });
});

describe('allocate', () => {
  it('splits in proportion and adds up', () => {
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocate(7, [0.5, 0.25, 0.25])).toEqual([3, 2, 2]);
  });

  it('never exceeds a cap', () => {
    expect(allocate(10, [10, 1], [5, 5])).toEqual([5, 5]);
  });

  it('refuses what cannot fit', () => {
    expect(() => allocate(11, [1, 1], [5, 5])).toThrow(/cannot allocate/);
  });
});
