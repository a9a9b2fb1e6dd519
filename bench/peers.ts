/**
 * The peer comparison of `npm run bench`: our gateway against Hive Gateway with each of its query planners, over the
 * same supergraph and subgraphs, in alternating rounds, on two workloads, each without and with the gateways'
 * response caches; ratios ours/peer per mode. Each gateway keeps its own deduplication of identical requests in
 * flight (ours: of subgraph reads; Hive: of incoming requests and of subgraph calls).
 *  - identical: every client asks the same question (CityComparison, 2024), as a dashboard's readers do at once;
 *    in-flight deduplication and response caches help as much as they can.
 *  - distinct: every client asks a different city and year (CityYear below, each (city, year) pair in turn), so
 *    that no two requests in flight are the same and deduplication cannot merge them. With response caches on, each
 *    gateway is asked every question once per round and the rounds are a cache lifetime apart: every question is
 *    new to every cache, so they miss; the cache hits counted per side show it.
 */
import { askGateway, type Operation } from './ask';
import { closedLoop, type LatencyFigures } from './measure';

export const PEER_SIDES = ['ours', 'hive', 'hiveRust'] as const;
export type PeerSide = (typeof PEER_SIDES)[number];
export type Peer = Exclude<PeerSide, 'ours'>;
export const SIDE_NAMES: Record<PeerSide, string> = { ours: 'ours', hive: 'Hive Gateway', hiveRust: 'Hive Gateway, Rust planner' };

export type Workload = 'identical' | 'distinct';
export type CacheMode = 'no response cache' | 'response caches on';

/** One city's figures for one year: what CityComparison asks of each member, asked of one. */
export const CITY_YEAR_QUERY = `query CityYear($id: ID!, $year: Int!) {
  municipality(id: $id) {
    id
    name
    staff(year: $year) { year headcount respondents withMigrationHistory share responseRate target { kind share } gapPoints provenance { kind source } }
    trainees(year: $year) { year intake withMigrationHistory share }
    interculturalTraining(year: $year) { year unit staffInScope completed completionRate }
  }
}`;

/** Every (city, year) question once, the cities in turn within each year: consecutive questions all differ. */
export function distinctQuestions(cities: readonly string[], years: readonly number[]): Operation[] {
  return years.flatMap((year) => cities.map((id) => ({ name: 'CityYear', query: CITY_YEAR_QUERY, variables: { id, year } })));
}

/** The order of the sides in round `round`: it rotates each round, so that no side always gets the warmer (or the colder) machine. */
export function sidesInRound(round: number): PeerSide[] {
  const shift = round % PEER_SIDES.length;
  return [...PEER_SIDES.slice(shift), ...PEER_SIDES.slice(0, shift)];
}

export interface SideMeasurement extends LatencyFigures {
  /** Answers the gateway's response cache gave (askGateway). */
  fromResponseCache: number;
}

export interface SideSummary {
  p50: number;
  p95: number;
  requestsPerSecond: number;
  /** Of all the side's requests in all rounds, the share its response cache answered. */
  cacheHitShare: number;
}

export interface PeerRatios {
  /** ours / peer: below 1 means we answer faster. */
  p50Ratio: number;
  p95Ratio: number;
  /** ours / peer: above 1 means we serve more. */
  throughputRatio: number;
}

export interface PeerFigures {
  workload: Workload;
  caches: CacheMode;
  /** How many different questions the workload asks, and how many requests each side gets per round. */
  questions: number;
  requestsPerRound: number;
  rounds: Array<Record<PeerSide, SideMeasurement>>;
  sides: Record<PeerSide, SideSummary>;
  /** Ours against each peer, from the medians. */
  ratios: Record<Peer, PeerRatios>;
}

export interface PeerRun {
  workload: Workload;
  caches: CacheMode;
  urls: Record<PeerSide, string>;
  /** Identical: the one question; distinct: the questions asked in turn (distinctQuestions). */
  questions: readonly Operation[];
  rounds: number;
  requests: number;
  clients: number;
  /** How long the response caches keep an answer: distinct questions with caches on wait that long between rounds. */
  cacheTtlMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

/** One side's closed loop over the questions in turn, counting the answers its response cache gave. */
async function measureSide(url: string, questions: readonly Operation[], clients: number, requests: number): Promise<SideMeasurement> {
  let next = 0;
  let fromResponseCache = 0;
  const figures = await closedLoop(
    async () => {
      const answer = await askGateway(url, questions[next++ % questions.length]!);
      if (answer.fromResponseCache) fromResponseCache += 1;
    },
    clients,
    requests,
  );
  return { ...figures, fromResponseCache };
}

export async function comparePeers(run: PeerRun): Promise<PeerFigures> {
  if (run.workload === 'distinct' && run.questions.length < run.clients) {
    throw new Error(`${run.questions.length} distinct questions for ${run.clients} clients: some would ask the same at once`);
  }
  // Distinct questions with caches on: each question once per side and round, so that no cache has seen it.
  const everyQuestionOnce = run.workload === 'distinct' && run.caches === 'response caches on';
  const requestsPerRound = everyQuestionOnce ? Math.min(run.requests, run.questions.length) : run.requests;
  const rounds: PeerFigures['rounds'] = [];
  for (let round = 0; round < run.rounds; round += 1) {
    if (everyQuestionOnce && round > 0) await new Promise((resolve) => setTimeout(resolve, run.cacheTtlMs + 1_000));
    const result: Partial<Record<PeerSide, SideMeasurement>> = {};
    for (const side of sidesInRound(round)) result[side] = await measureSide(run.urls[side], run.questions, run.clients, requestsPerRound);
    rounds.push(result as Record<PeerSide, SideMeasurement>);
  }
  const summary = (side: PeerSide): SideSummary => ({
    p50: median(rounds.map((round) => round[side].p50)),
    p95: median(rounds.map((round) => round[side].p95)),
    requestsPerSecond: median(rounds.map((round) => round[side].requestsPerSecond)),
    cacheHitShare: ratio(
      rounds.reduce((sum, round) => sum + round[side].fromResponseCache, 0),
      rounds.reduce((sum, round) => sum + round[side].requests, 0),
    ),
  });
  const sides = Object.fromEntries(PEER_SIDES.map((side) => [side, summary(side)])) as Record<PeerSide, SideSummary>;
  const against = (peer: Peer): PeerRatios => ({
    p50Ratio: ratio(sides.ours.p50, sides[peer].p50),
    p95Ratio: ratio(sides.ours.p95, sides[peer].p95),
    throughputRatio: ratio(sides.ours.requestsPerSecond, sides[peer].requestsPerSecond),
  });
  return {
    workload: run.workload,
    caches: run.caches,
    questions: run.questions.length,
    requestsPerRound,
    rounds,
    sides,
    ratios: { hive: against('hive'), hiveRust: against('hiveRust') },
  };
}

export function printPeers(peers: readonly PeerFigures[], clients: number): void {
  console.log(`Peers at ${clients} clients, medians of alternating rounds (latency in ms; ratios ours/peer, from the medians)`);
  console.table(
    Object.fromEntries(
      peers.flatMap((figures) =>
        PEER_SIDES.map((side) => [
          `${figures.workload} (${figures.questions} question${figures.questions === 1 ? '' : 's'}), ${figures.caches}: ${SIDE_NAMES[side]}`,
          {
            p50: figures.sides[side].p50,
            p95: figures.sides[side].p95,
            'req/s': figures.sides[side].requestsPerSecond,
            'from cache': figures.sides[side].cacheHitShare,
            'p95 ours/this': side === 'ours' ? '' : figures.ratios[side].p95Ratio,
            'req/s ours/this': side === 'ours' ? '' : figures.ratios[side].throughputRatio,
          },
        ]),
      ),
    ),
  );
}
