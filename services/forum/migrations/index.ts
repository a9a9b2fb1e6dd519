import type { RuntimePrivileges } from '../../common/database-roles';
import { Commitments1763769600000 } from './1763769600000-commitments';
import { Administration1763942400000 } from './1763942400000-administration';
import { Membership1764028800000 } from './1764028800000-membership';
import { ComputedParity1764115200000 } from './1764115200000-computed-parity';

export const forumMigrations = [Commitments1763769600000, Administration1763942400000, Membership1764028800000, ComputedParity1764115200000];

/**
 * What the forum's runtime role may do besides reading its tables and adding rows (granted after every migration run;
 * a migration that needs more for a new table says so here). The adopted commitments change only by migration.
 */
export const forumRuntimePrivileges: RuntimePrivileges = {
  readOnlyTables: ['commitment'],
};
