/**
 * A benchmark's results file (bench/results-file.ts), written after every step: what the steps before measured is on
 * disk whatever a later step does, and a step that fails leaves its error there and lets the next one run.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IncrementalResults } from '../../bench/results-file';

let dir: string;
let file: string;
const reported: string[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ifh-results-file-'));
  file = path.join(dir, 'bench.json');
  reported.length = 0;
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const onDisk = () => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
const results = (replacer?: (key: string, value: unknown) => unknown) =>
  new IncrementalResults(file, { startedAt: '2026-12-01T21:00:00.000Z', machine: { cpu: 'test' } }, replacer, (line) => reported.push(line));

it('is on disk from the start, with what the run is and no failures', () => {
  results();
  expect(onDisk()).toEqual({ startedAt: '2026-12-01T21:00:00.000Z', machine: { cpu: 'test' }, failures: {} });
});

it("writes each step's figures as soon as it ends, before the next step begins, and prints them", async () => {
  const figures = results();
  const printed: unknown[] = [];
  await figures.step('startUp', async () => ({ readyMs: 9_800 }), (measured) => printed.push(measured));
  let seenDuringNextStep: Record<string, any> | undefined;
  await figures.step('import', async () => {
    seenDuringNextStep = onDisk();
    return { medianMs: 870 };
  });
  expect(seenDuringNextStep).toMatchObject({ startUp: { readyMs: 9_800 } });
  expect(seenDuringNextStep).not.toHaveProperty('import');
  expect(printed).toEqual([{ readyMs: 9_800 }]);
  expect(onDisk()).toMatchObject({ startUp: { readyMs: 9_800 }, import: { medianMs: 870 }, failures: {} });
  expect(figures.failedSteps).toEqual([]);
});

it('keeps what the steps before measured when one fails, records its error, and lets the next run', async () => {
  const figures = results();
  await figures.step('operations', async () => [{ operation: 'CityComparison', p95: 37 }]);
  const printed: unknown[] = [];
  const failed = await figures.step(
    'import',
    async (): Promise<{ medianMs: number }> => {
      throw new Error('the import did not take every row');
    },
    (measured) => printed.push(measured),
  );
  expect(failed).toBeUndefined();
  expect(printed).toEqual([]);
  expect(onDisk()).toMatchObject({
    operations: [{ operation: 'CityComparison', p95: 37 }],
    failures: { import: { error: 'the import did not take every row', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } },
  });
  expect(onDisk()).not.toHaveProperty('import');
  expect(reported).toEqual(['  import failed: the import did not take every row']);

  expect(await figures.step('memoryMb', async () => ({ gateway: 228 }))).toEqual({ gateway: 228 });
  expect(onDisk()).toMatchObject({ operations: [{ p95: 37 }], memoryMb: { gateway: 228 }, failures: { import: {} } });
  expect(figures.failedSteps).toEqual(['import']);
});

it('runs a step whose figures the caller records itself, e.g. one element of a list at a time', async () => {
  const figures = results();
  const counts: Array<{ cities: number }> = [];
  for (const cities of [8, 50, 200]) {
    const measured = await figures.run(`${cities} cities`, async () => {
      if (cities === 50) throw new Error('the gateway did not start');
      return { cities };
    });
    if (measured === undefined) continue;
    counts.push(measured);
    figures.record('results', counts);
  }
  expect(onDisk()).toMatchObject({ results: [{ cities: 8 }, { cities: 200 }], failures: { '50 cities': { error: 'the gateway did not start' } } });
});

it('writes through the replacer it was given, and replaces the file whole, leaving nothing beside it', async () => {
  const figures = results((_key, value) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 10) / 10 : value));
  figures.record('setup', { wallMs: 1234.5678 });
  expect(onDisk().setup).toEqual({ wallMs: 1234.6 });
  expect(readdirSync(dir)).toEqual(['bench.json']);
});
