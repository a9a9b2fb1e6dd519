/**
 * The benchmark's floor for the gateway's overhead is only as right as its reading of the query plan: which calls
 * run one after another, and which at once.
 */
import { readFileSync } from 'node:fs';
import { callsByStage, planStages } from '../../bench/query-plan-stages';
import type { SubgraphFetch } from '../../bench/subgraph-fetches';
import { fromProjectRoot } from '../../services/common/project-root';

const supergraph = readFileSync(fromProjectRoot('schema', 'supergraph.graphql'), 'utf8');
const contract = (name: string) => readFileSync(fromProjectRoot('tests', 'contract', `${name}.graphql`), 'utf8');
const cities = ['bochum', 'dortmund', 'duisburg', 'essen', 'gelsenkirchen', 'herne', 'muelheim', 'oberhausen'];
const call = (subgraph: string, startedAt: number): SubgraphFetch => ({ subgraph, body: '{}', startedAt, finishedAt: startedAt + 1 });

describe('planStages', () => {
  it('reads CityComparison as the forum, then every city at once', () => {
    expect(planStages(supergraph, contract('city-comparison'), cities)).toEqual([['forum'], cities]);
  });

  it('reads ForumProgress as the forum, every city at once, and the forum again', () => {
    expect(planStages(supergraph, contract('forum-progress'), cities)).toEqual([['forum'], cities, ['forum']]);
  });
});

describe('callsByStage', () => {
  const stages = [['forum'], cities, ['forum']];

  it('puts each recorded call into its stage, the second forum call into the last', () => {
    const grouped = callsByStage([call('forum', 0), call('essen', 5), call('bochum', 6), call('forum', 20)], stages);
    expect(grouped.map((stage) => stage.map(({ subgraph, startedAt }) => `${subgraph}@${startedAt}`))).toEqual([['forum@0'], ['essen@5', 'bochum@6'], ['forum@20']]);
  });

  it('leaves out the cities the plan names but the gateway did not need', () => {
    expect(callsByStage([call('forum', 0), call('duisburg', 3)], [['forum'], cities]).map((stage) => stage.length)).toEqual([1, 1]);
  });

  it('refuses a call the plan does not name', () => {
    expect(() => callsByStage([call('forum', 0), call('bottrop', 3)], [['forum'], cities])).toThrow(/bottrop/);
  });
});
