/**
 * Composition and query planning for one city count of `npm run bench:scale`, in a fresh process of its own so that
 * every count starts as cold as a freshly deployed gateway (no JIT-compiled planner code, no caches):
 *
 * - composition: `composeFederation(registry)`, as `npm run compose` runs it (every subgraph schema built from the
 *   code, then composed); the supergraph is written where the gateway will read it;
 * - planner set-up: `Supergraph.build` and `new QueryPlanner`, what the gateway does when it loads a supergraph;
 * - cold plan: the first `buildQueryPlan` of an operation on a fresh planner (what the gateway pays on the first
 *   request of an operation when its warm-up did not plan it already);
 * - warm plan: the same operation planned again on that planner, median of a few (what a plan-cache miss costs
 *   once the planner is warm; a plan-cache hit, the gateway's usual case, skips planning altogether).
 *
 * Usage: node compose-and-plan.js <members.json> <supergraph out> <operation file>... ; prints one JSON line.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import { parse } from 'graphql';
import { loadRegistry } from '../../services/common/registry';
import { composeFederation } from '../../schema/composition';

export interface PlanningFigures {
  operation: string;
  coldMs: number;
  warmMs: number;
  /** Fetches in the plan: how many subgraph calls the operation fans out to. */
  fetches: number;
}

export interface CompositionFigures {
  cities: number;
  compositionMs: number;
  supergraphBytes: number;
  plannerSetupMs: number;
  planning: PlanningFigures[];
  peakRssMb: number;
  /** Live JavaScript heap after a full GC: what the gateway keeps for the supergraph, before any request. */
  heapMb: { supergraph: number; planner: number };
}

const WARM_REPEATS = 5;

function main(): void {
  const [membersFile, supergraphFile, ...operationFiles] = process.argv.slice(2);
  if (!membersFile || !supergraphFile) throw new Error('usage: compose-and-plan.js <members.json> <supergraph out> <operation file>...');
  const registry = loadRegistry(membersFile);

  let mark = performance.now();
  const { supergraph } = composeFederation(registry);
  const compositionMs = performance.now() - mark;
  writeFileSync(supergraphFile, supergraph);

  const heapBefore = liveHeapMb();
  mark = performance.now();
  const built = Supergraph.build(supergraph);
  const apiSchema = built.apiSchema();
  const buildMs = performance.now() - mark;
  const heapWithSupergraph = liveHeapMb();
  mark = performance.now();
  const planner = new QueryPlanner(built);
  const plannerSetupMs = buildMs + performance.now() - mark;
  const heapWithPlanner = liveHeapMb();

  const planning = operationFiles.map((file, index): PlanningFigures => {
    const document = parse(readFileSync(file, 'utf8'));
    // A planner of its own per operation, so that the second operation's cold plan is not warmed by the first.
    const fresh = index === 0 ? planner : new QueryPlanner(built);
    const plan = () => fresh.buildQueryPlan(operationFromDocument(apiSchema, document));
    let start = performance.now();
    const first = plan();
    const coldMs = performance.now() - start;
    const warm: number[] = [];
    for (let repeat = 0; repeat < WARM_REPEATS; repeat += 1) {
      start = performance.now();
      plan();
      warm.push(performance.now() - start);
    }
    warm.sort((a, b) => a - b);
    const name = document.definitions.find((definition) => definition.kind === 'OperationDefinition')?.name?.value ?? file;
    return { operation: name, coldMs, warmMs: warm[Math.floor(warm.length / 2)]!, fetches: countFetches(first.node) };
  });

  const status = readFileSync('/proc/self/status', 'utf8');
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const figures: CompositionFigures = {
    cities: registry.members.length,
    compositionMs,
    supergraphBytes: Buffer.byteLength(supergraph),
    plannerSetupMs,
    planning,
    peakRssMb: peakKb / 1024,
    heapMb: { supergraph: heapWithSupergraph - heapBefore, planner: heapWithPlanner - heapWithSupergraph },
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Needs --expose-gc, which bench/scale/main.ts passes; without it the figure includes garbage. */
function liveHeapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Fetch nodes anywhere in a plan (sequence, parallel, flatten, defer, condition). */
function countFetches(node: unknown): number {
  if (!node || typeof node !== 'object') return 0;
  const { kind } = node as { kind?: string };
  if (kind === 'Fetch') return 1;
  return Object.values(node).reduce<number>(
    (sum, value) => sum + (Array.isArray(value) ? value.reduce<number>((inner, item) => inner + countFetches(item), 0) : typeof value === 'object' ? countFetches(value) : 0),
    0,
  );
}

main();
