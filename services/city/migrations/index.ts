import { CityFigures1763769600000 } from './1763769600000-city-figures';

export const cityMigrations = [CityFigures1763769600000];
