import cityComparison from './operations/city-comparison.graphql?raw';
import cityTrend from './operations/city-trend.graphql?raw';
import forumProgress from './operations/forum-progress.graphql?raw';

/**
 * The dashboard asks what the query contract promises, as written; what it adds is in queries.ts. operations/ holds the
 * product's copies of the contract's operations; the unit test dashboard-operations.test.ts keeps them equal to the
 * contract the tests run (no production code reads the tests' files).
 */
export const FORUM_PROGRESS = forumProgress;
export const CITY_COMPARISON = cityComparison;
export const CITY_TREND = cityTrend;
