import { Commitments1763769600000 } from './1763769600000-commitments';

export const forumMigrations = [Commitments1763769600000];
