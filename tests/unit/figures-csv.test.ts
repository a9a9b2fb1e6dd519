import { parseCount, parseFiguresCsv } from '../../services/city/import/figures-csv';

describe('parseCount', () => {
  it.each([
    ['1.234', true, 1234],
    ['1.234,0', true, 1234],
    ['12', true, 12],
    ['-3', true, -3],
    ['1,234', false, 1234],
    ['1234.0', false, 1234],
    ['', true, null],
  ])('reads %p (German: %p) as %p', (text, german, expected) => {
    expect(parseCount(text, german)).toEqual({ value: expected });
  });

  it.each([
    ['12,5', true, '12,5 ist keine ganze Zahl.'],
    ['1.23', true, '"1.23" ist keine Zahl.'],
    ['zwölf', true, '"zwölf" ist keine Zahl.'],
    ['1,5', false, '"1,5" ist keine Zahl.'],
  ])('refuses %p (German: %p)', (text, german, message) => {
    expect(parseCount(text, german)).toEqual({ error: expect.objectContaining({ de: message }) });
  });
});

describe('parseFiguresCsv', () => {
  it('reads German headers and attaches unit rows to the staff row of their year', () => {
    const parsed = parseFiguresCsv(
      '\uFEFFArt;Jahr;Organisationseinheit;Beschäftigte;Befragte;mit Zuwanderungsgeschichte\nPersonal Einheit;2025;jobcenter;760;452;131\nPersonal;2025;;9.512;5.640;1.203\n',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.submissions).toEqual([
      {
        row: 3,
        unitRows: [2],
        submission: {
          kind: 'staff',
          input: expect.objectContaining({
            year: 2025,
            headcount: 9512,
            respondents: 5640,
            withMigrationHistory: 1203,
            units: [{ unit: 'jobcenter', headcount: 760, respondents: 452, withMigrationHistory: 131 }],
          }),
        },
      },
    ]);
  });

  it('names unknown and missing columns', () => {
    const parsed = parseFiguresCsv('Jahr;Farbe\n2025;blau\n');
    expect(parsed.problems.map((problem) => problem.messages.de)).toEqual(['Unbekannte Spalte "Farbe".', 'Die Spalte "Art" fehlt.']);
  });

  it('names the line of the file, blank lines counted, as an editor shows it', () => {
    const parsed = parseFiguresCsv('kind,year,count\n\ntrainees,2024,10\n\n\ntrainees,zwanzig,11\n');
    expect(parsed.problems).toEqual([expect.objectContaining({ row: 6, field: 'year' })]);
  });

  it('names the line a row starts on when cells span lines, in it and before it', () => {
    const parsed = parseFiguresCsv('kind,year,count,source\ntrainees,2024,10,"Statistik\nSeite 2"\n\ntrainees,zwanzig,11,"Statistik\nSeite 3"\n');
    expect(parsed.problems).toEqual([expect.objectContaining({ row: 5, field: 'year' })]);
  });

  it('refuses the same year twice for one kind', () => {
    const parsed = parseFiguresCsv('kind,year,count\ntrainees,2025,10\ntrainees,2025,11\n');
    expect(parsed.problems).toEqual([expect.objectContaining({ row: 3, field: 'year' })]);
  });
});
