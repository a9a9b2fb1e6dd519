import { Commitments1763769600000 } from './1763769600000-commitments';
import { Administration1763942400000 } from './1763942400000-administration';

export const forumMigrations = [Commitments1763769600000, Administration1763942400000];
