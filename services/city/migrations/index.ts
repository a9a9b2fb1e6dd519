import { CityFigures1763769600000 } from './1763769600000-city-figures';
import { Submissions1763856000000 } from './1763856000000-submissions';

export const cityMigrations = [CityFigures1763769600000, Submissions1763856000000];
