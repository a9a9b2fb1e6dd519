import type { Member } from '../common/registry';

export interface UnitDefinition {
  id: string;
  name: string;
  nameEn: string;
  jobcenter?: boolean;
}

/**
 * Units a city reports by unless its registry entry lists its own. Together they cover the whole
 * administration, so a breakdown adds up to the city's total.
 */
export const DEFAULT_UNITS: readonly UnitDefinition[] = [
  { id: 'jobcenter', name: 'Jobcenter', nameEn: 'Jobcenter', jobcenter: true },
  { id: 'buergerdienste', name: 'Bürgerdienste', nameEn: 'Citizen services' },
  { id: 'jugendamt', name: 'Jugendamt', nameEn: 'Youth welfare office' },
  { id: 'sozialamt', name: 'Sozialamt', nameEn: 'Social welfare office' },
  { id: 'ordnungsamt', name: 'Ordnungsamt', nameEn: 'Public order office' },
  { id: 'feuerwehr', name: 'Feuerwehr', nameEn: 'Fire service' },
  { id: 'kommunales-integrationszentrum', name: 'Kommunales Integrationszentrum', nameEn: 'Municipal integration centre' },
  { id: 'gleichstellungsstelle', name: 'Gleichstellungsstelle', nameEn: 'Equal opportunities office' },
  { id: 'zentrale-verwaltung', name: 'Zentrale Verwaltung', nameEn: 'Central administration' },
  { id: 'weitere-bereiche', name: 'Weitere Fachbereiche', nameEn: 'Other departments' },
];

export function unitsOf(member: Member): readonly UnitDefinition[] {
  return member.units ?? DEFAULT_UNITS;
}
