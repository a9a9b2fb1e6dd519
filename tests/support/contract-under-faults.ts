import type { CityComparisonData, CityTrendData, ForumProgressData } from './contract-types';
import { contractOperation, type GraphQLResponse } from './federation';

/**
 * The query contract's promise when a city is missing (tests/contract/README.md): the same queries still answer
 * for the others, with one error whose `extensions` name that city. Checks of one answer, and a client that gives
 * up on an answer that comes later than the gateway's time limit allows.
 */

export const MEMBER_IDS = ['bochum', 'dortmund', 'duisburg', 'essen', 'gelsenkirchen', 'herne', 'muelheim', 'oberhausen'];
/** The newest year of the demo data, which the contract's dashboards ask for. */
export const NEWEST_YEAR = 2024;

export type ContractCall =
  | { operation: 'forum-progress'; variables: { year: number } }
  | { operation: 'city-comparison'; variables: { year: number } }
  | { operation: 'city-trend'; variables: { id: string; from: number; to: number } };

/**
 * All three contract queries about `year` (the demo data has 2010 to 2024); the trend once for each city named, up
 * to `year`. Steps that must see a city's state now, not what the response cache still holds from an earlier step,
 * ask about a year no earlier step asked about.
 */
export function contractCalls(trendCities: readonly string[], year: number = NEWEST_YEAR): ContractCall[] {
  return [
    { operation: 'forum-progress', variables: { year } },
    { operation: 'city-comparison', variables: { year } },
    ...trendCities.map((id): ContractCall => ({ operation: 'city-trend', variables: { id, from: 2010, to: year } })),
  ];
}

/** A contract answer, with its age in seconds when the gateway served it from its response cache (the `Age` header). */
export type ContractAnswer = GraphQLResponse & { ageSeconds: number | null };

export function describeCall(call: ContractCall): string {
  return call.operation === 'city-trend' ? `city-trend(${call.variables.id})` : call.operation;
}

/**
 * Asks the gateway and gives up after `limitMs`: a late answer fails the caller with `no answer within`, so the time
 * bound is a client's patience, not a measurement.
 */
export async function askWithin(gatewayUrl: string, call: ContractCall, limitMs: number, token?: string): Promise<ContractAnswer> {
  try {
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: contractOperation(call.operation), variables: call.variables }),
      signal: AbortSignal.timeout(limitMs),
    });
    const age = response.headers.get('age');
    return { status: response.status, body: (await response.json()) as GraphQLResponse['body'], ageSeconds: age === null ? null : Number(age) };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new Error(`no answer within ${limitMs} ms`);
    throw error;
  }
}

/** Whether an answer was whole, or lacked exactly one city and said so. */
export type AnswerCoverage = 'complete' | 'city-missing';

/**
 * Checks one contract answer while `faultyCity` may be missing: HTTP 200; every other city's figures present;
 * at most one error, and that one `CITY_UNAVAILABLE` naming `faultyCity`. Returns the problems found (none: the
 * contract holds) and whether the faulty city was reported missing.
 */
export function checkAnswer(call: ContractCall, response: GraphQLResponse, faultyCity: string): { problems: string[]; coverage: AnswerCoverage } {
  const problems: string[] = [];
  const errors = response.body.errors ?? [];
  if (response.status !== 200) problems.push(`HTTP ${response.status}`);
  if (errors.length > 1) problems.push(`${errors.length} errors, expected at most one`);
  for (const error of errors) {
    if (error.extensions?.code !== 'CITY_UNAVAILABLE' || error.extensions?.city !== faultyCity) {
      problems.push(`unexpected error ${JSON.stringify({ message: error.message, code: error.extensions?.code, city: error.extensions?.city })}`);
    }
  }
  const coverage: AnswerCoverage = errors.length > 0 ? 'city-missing' : 'complete';
  const data = response.body.data;
  if (!data) return { problems: [...problems, 'no data'], coverage };
  const others = MEMBER_IDS.filter((id) => id !== faultyCity);

  switch (call.operation) {
    case 'city-comparison': {
      const members = (data as CityComparisonData).forum.members;
      if (members.map((member) => member.id).sort().join() !== MEMBER_IDS.join()) problems.push(`members ${members.map((member) => member.id).join()}`);
      for (const member of members) {
        const expected = member.id !== faultyCity || coverage === 'complete';
        const year = call.variables.year;
        if (expected && member.staff?.year !== year) problems.push(`${member.id}: no staff figures for ${year}`);
        if (expected && member.trainees?.year !== year) problems.push(`${member.id}: no trainee figures for ${year}`);
      }
      break;
    }
    case 'forum-progress': {
      const forum = (data as ForumProgressData).forum;
      if (forum.members.length !== MEMBER_IDS.length) problems.push(`${forum.members.length} members`);
      const reporting = forum.staffProgress.citiesReporting.map((city) => city.id);
      const missing = forum.staffProgress.citiesMissing.map((city) => city.id);
      if ([...reporting, ...missing].sort().join() !== MEMBER_IDS.join()) problems.push(`reporting ${reporting} and missing ${missing} are not the members`);
      // Herne records nationality only and is always missing from the staff share; every other city reports.
      for (const id of others.filter((other) => other !== 'herne')) if (!reporting.includes(id)) problems.push(`${id} not reporting`);
      if (coverage === 'city-missing' && reporting.includes(faultyCity)) problems.push(`${faultyCity} reported as reporting although unavailable`);
      if (!(Number(forum.staffProgress.pooledShare) > 0)) problems.push(`pooled share ${forum.staffProgress.pooledShare}`);
      break;
    }
    case 'city-trend': {
      const city = (data as CityTrendData).municipality;
      const about = call.variables.id;
      if (city?.id !== about) problems.push(`municipality ${city?.id}`);
      else if ((about !== faultyCity || coverage === 'complete') && city.staffSeries?.length !== call.variables.to - call.variables.from + 1) {
        problems.push(`${about}: staff series of ${city.staffSeries?.length} years`);
      }
      if (about !== faultyCity && coverage === 'city-missing') problems.push(`${about}'s own trend names ${faultyCity} as missing`);
      break;
    }
  }
  return { problems, coverage };
}

/**
 * One answer of a load: which call, whether it was sent once the fault was in effect, what the check found, when it
 * came and, if it came from the gateway's response cache, how old it was.
 */
export interface ContractSample {
  call: ContractCall;
  sentDuringFault: boolean;
  problems: string[];
  coverage?: AnswerCoverage;
  answeredAt: number;
  ageSeconds?: number | null;
}

/** Contract queries sent continuously by several clients at once, as dashboards do, until `stop()`. */
export class ContractLoad {
  readonly samples: ContractSample[] = [];
  private stopped = false;
  private readonly workers: Array<Promise<void>>;

  constructor(
    private readonly options: {
      gatewayUrl: string;
      calls: readonly ContractCall[];
      clients: number;
      limitMs: number;
      faultyCity: string;
      /** Read as each query is sent. */
      faultInEffect: () => boolean;
    },
  ) {
    this.workers = Array.from({ length: options.clients }, (_, client) => this.run(client));
  }

  private async run(client: number): Promise<void> {
    for (let next = client; !this.stopped; next += 1) {
      const call = this.options.calls[next % this.options.calls.length]!;
      const sentDuringFault = this.options.faultInEffect();
      try {
        const response = await askWithin(this.options.gatewayUrl, call, this.options.limitMs);
        const answeredAt = Date.now();
        this.samples.push({ call, sentDuringFault, answeredAt, ageSeconds: response.ageSeconds, ...checkAnswer(call, response, this.options.faultyCity) });
      } catch (error) {
        this.samples.push({ call, sentDuringFault, answeredAt: Date.now(), problems: [(error as Error).message] });
      }
    }
  }

  /** Resolves once `count` more answers have come in than now. */
  async answers(count: number): Promise<void> {
    const target = this.samples.length + count;
    while (this.samples.length < target) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  async stop(): Promise<ContractSample[]> {
    this.stopped = true;
    await Promise.all(this.workers);
    return this.samples;
  }
}

/**
 * Whole answers about `city` that came after `faultBegan` although the city could not have answered them: anything
 * but answers the response cache held from before the fault (their `Age` reaching back to it; a second's rounding
 * allowed), and no cached answer older than the cache's time to live. Empty when the cache hid nothing it should not.
 */
export function wholeAnswersNotFromBefore(samples: readonly ContractSample[], city: string, faultBegan: number, cacheTtlMs: number): string[] {
  return samples
    .filter((sample) => sample.sentDuringFault && involves(sample.call, city) && sample.coverage === 'complete')
    .flatMap((sample) => {
      const label = describeCall(sample.call);
      if (sample.ageSeconds === null || sample.ageSeconds === undefined) return [`${label}: whole without ${city}, not from the cache`];
      if (sample.ageSeconds * 1000 > cacheTtlMs) return [`${label}: served from the cache ${sample.ageSeconds} s old`];
      const readAt = sample.answeredAt - sample.ageSeconds * 1000;
      return readAt > faultBegan + 1_000 ? [`${label}: read ${readAt - faultBegan} ms after ${city} went down`] : [];
    });
}

/** Whether an answer to `call` needs `city` (its figures, or its own trend). */
export function involves(call: ContractCall, city: string): boolean {
  return call.operation !== 'city-trend' || call.variables.id === city;
}

/** Problems of a load's answers, each labelled with its query: an empty list when the contract held throughout. */
export function problemsOf(samples: readonly ContractSample[]): string[] {
  return samples.flatMap((sample) =>
    sample.problems.map((problem) => `${describeCall(sample.call)}${sample.sentDuringFault ? ' (sent during the fault)' : ''}: ${problem}`),
  );
}

/** Retries `check` until it passes, at most `attempts` times; the last failure is the caller's failure. */
export async function eventually(check: () => Promise<void>, { attempts = 40, pauseMs = 250 } = {}): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await check();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
