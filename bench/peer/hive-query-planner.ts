/**
 * Which query planner Hive Gateway runs with (bench/peer/hive-gateway.ts): `default`, its JavaScript stitching
 * runtime, or `rust`, Hive Router's planner through @graphql-hive/router-runtime (what Hive Gateway's own
 * `--hive-router-runtime` flag and `HIVE_ROUTER_RUNTIME` variable switch on).
 */
export const HIVE_QUERY_PLANNERS = ['default', 'rust'] as const;
export type HiveQueryPlanner = (typeof HIVE_QUERY_PLANNERS)[number];

/** HIVE_QUERY_PLANNER, `default` when unset; any other value stops start-up with a message that names it. */
export function readHiveQueryPlanner(source: NodeJS.ProcessEnv): HiveQueryPlanner {
  const value = source.HIVE_QUERY_PLANNER?.trim() || 'default';
  if (!(HIVE_QUERY_PLANNERS as readonly string[]).includes(value)) {
    throw new Error(`HIVE_QUERY_PLANNER=${value}: expected one of ${HIVE_QUERY_PLANNERS.join(', ')}`);
  }
  return value as HiveQueryPlanner;
}
