import cityComparison from '../../../tests/contract/city-comparison.graphql?raw';
import cityTrend from '../../../tests/contract/city-trend.graphql?raw';
import forumProgress from '../../../tests/contract/forum-progress.graphql?raw';

/** The dashboard asks what the query contract promises, as written; what it adds is in queries.ts. */
export const FORUM_PROGRESS = forumProgress;
export const CITY_COMPARISON = cityComparison;
export const CITY_TREND = cityTrend;
