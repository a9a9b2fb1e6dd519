import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { projectRoot } from '../../common/project-root';

/**
 * Published figures about the member cities (press, city web sites, statistical offices), each with its
 * source: the real part of the demo data. See public-figures.README.md.
 */
export const PUBLIC_FIGURES_FILE = path.join('services', 'city', 'demo', 'public-figures.csv');

const optionalNumber = z
  .string()
  .transform((value) => (value.trim() === '' ? null : Number(value)))
  .refine((value) => value === null || Number.isFinite(value), 'expected a number');

const rowSchema = z.object({
  scope: z.string().min(1),
  measure: z.string().min(1),
  value: optionalNumber,
  numerator: optionalNumber,
  denominator: optionalNumber,
  year: z.coerce.number().int(),
  source: z.string().min(1),
  confidence: z.enum(['high', 'medium', 'low']),
});

export type PublicFigure = z.infer<typeof rowSchema>;

export function parsePublicFigures(csv: string): PublicFigure[] {
  const records: Record<string, string>[] = parse(csv, { columns: true, skip_empty_lines: true, trim: true });
  return records.map((record, index) => {
    const result = rowSchema.safeParse(record);
    if (!result.success) throw new Error(`${PUBLIC_FIGURES_FILE} line ${index + 2}: ${result.error.issues[0]?.message}`);
    return result.data;
  });
}

export function loadPublicFigures(): PublicFigure[] {
  return parsePublicFigures(readFileSync(path.join(projectRoot(), PUBLIC_FIGURES_FILE), 'utf8'));
}

/** "Mülheim an der Ruhr" and "Muelheim an der Ruhr" name the same city; the file writes umlauts out. */
export function sameCity(scope: string, cityName: string): boolean {
  const normalise = (name: string) =>
    name.toLowerCase().replaceAll('ä', 'ae').replaceAll('ö', 'oe').replaceAll('ü', 'ue').replaceAll('ß', 'ss').trim();
  return normalise(scope) === normalise(cityName);
}

/** The source as the hub shows it, with the transcription's confidence where it is not high. */
export function citedSource(figure: PublicFigure): string {
  return figure.confidence === 'high' ? figure.source : `${figure.source} [transcription confidence: ${figure.confidence}]`;
}
