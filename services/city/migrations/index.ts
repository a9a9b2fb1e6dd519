import type { RuntimePrivileges } from '../../common/database-roles';
import { CityFigures1763769600000 } from './1763769600000-city-figures';
import { Submissions1763856000000 } from './1763856000000-submissions';
import { FigureImportJobs1764633600000 } from './1764633600000-figure-import-jobs';
import { WithheldPatterns1764720000000 } from './1764720000000-withheld-patterns';

export const cityMigrations = [CityFigures1763769600000, Submissions1763856000000, FigureImportJobs1764633600000, WithheldPatterns1764720000000];

/**
 * What the city's runtime role may do besides reading its tables and adding rows (granted after every migration run;
 * a migration that needs more for a new table says so here). The configured units' names are kept current in place;
 * figures, their units' breakdowns, the audit log, the idempotency records and the withheld patterns are only ever
 * added to. An import job's row follows its progress: status, counts, report and end (its key is let go when it wrote
 * nothing, so it can be used again).
 */
export const cityRuntimePrivileges: RuntimePrivileges = {
  updatableColumns: {
    organisational_unit: ['name_de', 'name_en', 'is_jobcenter'],
    figure_import_job: ['status', 'rows_checked', 'revisions_total', 'revisions_written', 'report', 'finished_at', 'heartbeat_at', 'idempotency_key'],
  },
};
