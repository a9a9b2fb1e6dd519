/**
 * The peer comparison is only fair if its distinct workload really asks different questions at once, and if no
 * gateway always runs first; and the Hive Gateway it starts must run the planner it was asked for.
 */
import { readHiveQueryPlanner } from '../../bench/peer/hive-query-planner';
import { distinctQuestions, PEER_SIDES, sidesInRound } from '../../bench/peers';

const cities = ['bochum', 'dortmund', 'duisburg', 'essen', 'gelsenkirchen', 'herne', 'muelheim', 'oberhausen'];
const years = Array.from({ length: 15 }, (_, index) => 2010 + index);

describe('distinctQuestions', () => {
  it('asks every city in every year once', () => {
    const questions = distinctQuestions(cities, years);
    expect(questions).toHaveLength(cities.length * years.length);
    expect(new Set(questions.map((question) => JSON.stringify(question.variables))).size).toBe(questions.length);
  });

  it('never asks the same question twice among 50 clients in a row, however the turn wraps', () => {
    const questions = distinctQuestions(cities, years);
    for (let start = 0; start < questions.length; start += 1) {
      const window = Array.from({ length: 50 }, (_, offset) => JSON.stringify(questions[(start + offset) % questions.length]!.variables));
      expect(new Set(window).size).toBe(50);
    }
  });
});

describe('sidesInRound', () => {
  it('rotates which gateway goes first, each round running every gateway once', () => {
    const rounds = Array.from({ length: PEER_SIDES.length * 2 }, (_, round) => sidesInRound(round));
    for (const order of rounds) expect([...order].sort()).toEqual([...PEER_SIDES].sort());
    for (const side of PEER_SIDES) expect(rounds.filter((order) => order[0] === side)).toHaveLength(2);
  });
});

describe('readHiveQueryPlanner', () => {
  it('runs the default planner unless told otherwise', () => {
    expect(readHiveQueryPlanner({})).toBe('default');
    expect(readHiveQueryPlanner({ HIVE_QUERY_PLANNER: 'rust' })).toBe('rust');
  });

  it('stops on a planner it does not know, naming the variable', () => {
    expect(() => readHiveQueryPlanner({ HIVE_QUERY_PLANNER: 'apollo' })).toThrow(/HIVE_QUERY_PLANNER=apollo/);
  });
});
