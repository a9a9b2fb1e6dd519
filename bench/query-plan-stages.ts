import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner, type PlanNode } from '@apollo/query-planner';
import { parse } from 'graphql';
import { CITY_SUBGRAPH } from '../services/common/routing/city-subgraph';
import type { SubgraphFetch } from './subgraph-fetches';

/**
 * The services each stage of the query plan calls: a stage starts once the one before has answered (Sequence), its
 * calls run at once (Parallel). A fetch from the city subgraph calls every member's service at once (routing by key).
 */
export function planStages(supergraphSdl: string, operation: string, memberIds: readonly string[]): string[][] {
  const supergraph = Supergraph.build(supergraphSdl);
  const plan = new QueryPlanner(supergraph).buildQueryPlan(operationFromDocument(supergraph.schema, parse(operation)));
  const stagesOf = (node: PlanNode): string[][] => {
    switch (node.kind) {
      case 'Fetch':
        return [node.serviceName === CITY_SUBGRAPH ? [...memberIds] : [node.serviceName]];
      case 'Flatten':
        return stagesOf(node.node);
      case 'Sequence':
        return node.nodes.flatMap(stagesOf);
      case 'Parallel': {
        const branches = node.nodes.map(stagesOf);
        return Array.from({ length: Math.max(...branches.map((branch) => branch.length)) }, (_, index) => branches.flatMap((branch) => branch[index] ?? []));
      }
      default:
        throw new Error(`query plan node ${node.kind} is not used by the contract operations`);
    }
  };
  return plan.node && plan.node.kind !== 'Subscription' ? stagesOf(plan.node) : [];
}

/**
 * The recorded calls, in the plan's stages. A plan names every subgraph a stage may call; the gateway skips those
 * with nothing to fetch (CityTrend asks one city of the eight its plan names).
 */
export function callsByStage(fetches: readonly SubgraphFetch[], stages: readonly string[][]): SubgraphFetch[][] {
  const grouped: SubgraphFetch[][] = stages.map(() => []);
  let stage = 0;
  for (const call of [...fetches].sort((a, b) => a.startedAt - b.startedAt)) {
    const fits = (index: number) => stages[index]!.includes(call.subgraph) && !grouped[index]!.some((earlier) => earlier.subgraph === call.subgraph);
    while (stage < stages.length && !fits(stage)) stage += 1;
    if (stage === stages.length) throw new Error(`the gateway called ${call.subgraph} where its query plan does not`);
    grouped[stage]!.push(call);
  }
  return grouped.filter((calls) => calls.length > 0);
}
