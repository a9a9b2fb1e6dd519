import type { TestDatabase } from './database';

/** Duisburg's 50 organisational units in the import suites' registry: the Jobcenter, the youth office, 48 district offices. */
export const IMPORT_UNITS = [
  { id: 'jobcenter', name: 'Jobcenter', nameEn: 'Jobcenter', jobcenter: true },
  { id: 'jugendamt', name: 'Jugendamt', nameEn: 'Youth welfare office' },
  ...Array.from({ length: 48 }, (_, index) => ({ id: `bezirk-${index + 1}`, name: `Bezirksamt ${index + 1}`, nameEn: `District office ${index + 1}` })),
];

export const CURRENT_YEAR = new Date().getUTCFullYear();

/** The German template's header line (docs/templates/import-template.csv). */
export const IMPORT_HEADER = 'Art;Jahr;Organisationseinheit;Beschäftigte;Befragte;mit Zuwanderungsgeschichte;Zielgruppe;geschult;korrigierte Revision;Begründung';

/** Years the big file covers: corrections of the demo years, and the current year, new (the template has 2025). */
export const BIG_FILE_YEARS = [...Array.from({ length: 15 }, (_, index) => 2010 + index), CURRENT_YEAR];

/**
 * Over 1,000 rows: each year's staff figures with 12 units, and training in all 50 units; with `badRowFrom`, the first
 * training row from that line on trains more people than are in scope. Returns the file, its rows, the revisions it
 * writes when right, and the line of the bad row.
 */
export function bigImportFile(badRowFrom?: number): { csv: string; rows: number; revisions: number; badRow?: number } {
  const lines = [IMPORT_HEADER];
  for (const year of BIG_FILE_YEARS) {
    const correction = year <= 2024 ? '1;Jahresabschluss' : ';';
    lines.push(`Personal;${year};;9.000;5.000;1.000;;;${correction}`);
    for (const unit of IMPORT_UNITS.slice(0, 12)) lines.push(`Personal Einheit;${year};${unit.id};100;60;12;;;;`);
    for (const unit of IMPORT_UNITS) lines.push(`Schulung;${year};${unit.id};;;;100;40;${correction}`);
  }
  const badIndex = badRowFrom === undefined ? -1 : lines.findIndex((line, index) => index >= badRowFrom - 1 && line.startsWith('Schulung'));
  if (badIndex >= 0) lines[badIndex] = lines[badIndex]!.replace(';100;40;', ';100;140;');
  return {
    csv: `${lines.join('\n')}\n`,
    rows: lines.length - 1,
    revisions: BIG_FILE_YEARS.length * (1 + IMPORT_UNITS.length),
    badRow: badIndex >= 0 ? badIndex + 1 : undefined,
  };
}

const FIGURE_TABLES = ['staff_figures', 'staff_unit_figures', 'new_hire_figures', 'trainee_figures', 'training_figures'] as const;

/** How many rows each of Duisburg's figure tables holds: what an import adds, or must not. */
export async function figureCounts(database: TestDatabase): Promise<Record<(typeof FIGURE_TABLES)[number], number>> {
  const counts = {} as Record<(typeof FIGURE_TABLES)[number], number>;
  for (const table of FIGURE_TABLES) {
    const [row] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM city_duisburg.${table}`);
    counts[table] = row!.n;
  }
  return counts;
}
