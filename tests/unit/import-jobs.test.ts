/**
 * The life of a figure import job (services/domain/import-jobs.ts) and how the gateway reads the jobs an answer
 * reports committed (gateway/transport/write-jobs.ts). Plain functions: no database, no GraphQL.
 */
import { acceptedJobsIn, committedJobsIn } from '../../gateway/transport/write-jobs';
import {
  effectiveStatus,
  heartbeatEvery,
  IMPORT_JOB_SILENCE_MS,
  IMPORT_PROGRESS_EVERY_ROWS,
  isFinished,
  progressWorthRecording,
  wroteNothing,
} from '../../services/domain/import-jobs';

const now = new Date('2026-03-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

it('reads a running job cut off by a restart as FAILED once it has been silent too long, and a finished one as it ended', () => {
  expect(effectiveStatus({ status: 'CHECKING', heartbeatAt: ago(1_000) }, now)).toBe('CHECKING');
  expect(effectiveStatus({ status: 'WRITING', heartbeatAt: ago(IMPORT_JOB_SILENCE_MS) }, now)).toBe('WRITING');
  expect(effectiveStatus({ status: 'WRITING', heartbeatAt: ago(IMPORT_JOB_SILENCE_MS + 1) }, now)).toBe('FAILED');
  expect(effectiveStatus({ status: 'CHECKING', heartbeatAt: ago(IMPORT_JOB_SILENCE_MS * 10) }, now)).toBe('FAILED');
  // A job that ended keeps its end, however long ago its last sign of life was.
  for (const status of ['SUCCEEDED', 'REFUSED', 'FAILED'] as const) {
    expect(effectiveStatus({ status, heartbeatAt: ago(IMPORT_JOB_SILENCE_MS * 10) }, now)).toBe(status);
  }
  // A city configured to give up sooner (IMPORT_JOB_SILENCE_MS).
  expect(effectiveStatus({ status: 'WRITING', heartbeatAt: ago(5_001) }, now, 5_000)).toBe('FAILED');
  expect(effectiveStatus({ status: 'WRITING', heartbeatAt: ago(4_000) }, now, 5_000)).toBe('WRITING');
});

it('shows a running job alive many times within the silence that counts as cut off', () => {
  expect(heartbeatEvery(IMPORT_JOB_SILENCE_MS)).toBe(5_000);
  expect(heartbeatEvery(6_000)).toBe(500);
  expect(heartbeatEvery(100)).toBe(100);
});

it('knows which statuses are final, and which of them wrote nothing and so free their key', () => {
  expect(['CHECKING', 'WRITING', 'SUCCEEDED', 'REFUSED', 'FAILED'].filter((status) => isFinished(status as never))).toEqual(['SUCCEEDED', 'REFUSED', 'FAILED']);
  expect(['CHECKING', 'WRITING', 'SUCCEEDED', 'REFUSED', 'FAILED'].filter((status) => wroteNothing(status as never))).toEqual(['REFUSED', 'FAILED']);
});

it('notes progress every few hundred rows and at the end, not per row', () => {
  expect(progressWorthRecording(0, 250, 10_013)).toBe(false);
  expect(progressWorthRecording(0, IMPORT_PROGRESS_EVERY_ROWS, 10_013)).toBe(true);
  expect(progressWorthRecording(10_000, 10_013, 10_013)).toBe(true);
  expect(progressWorthRecording(10_013, 10_013, 10_013)).toBe(false);
  expect(progressWorthRecording(0, 7, 7)).toBe(true);
  // A 10,013-row file: a few dozen updates, not ten thousand.
  let recorded = 0;
  let updates = 0;
  for (let rows = 250; rows <= 10_013 + 250; rows += 250) {
    const reached = Math.min(rows, 10_013);
    if (!progressWorthRecording(recorded, reached, 10_013)) continue;
    recorded = reached;
    updates += 1;
  }
  expect(recorded).toBe(10_013);
  expect(updates).toBeLessThan(25);
});

it('reads the jobs an answer reports committed from its header, one or several', () => {
  expect(committedJobsIn({})).toEqual([]);
  expect(committedJobsIn({ 'ifh-write-job-committed': 'a1' })).toEqual(['a1']);
  expect(committedJobsIn({ 'ifh-write-job-committed': 'a1, b2' })).toEqual(['a1', 'b2']);
  expect(committedJobsIn({ 'ifh-write-job-committed': ['a1', 'b2'] })).toEqual(['a1', 'b2']);
});

it('reads the jobs an answer accepted with their city, and leaves out what is not city/id', () => {
  expect(acceptedJobsIn(null)).toEqual([]);
  expect(acceptedJobsIn('duisburg/a1, bochum/b2')).toEqual([{ city: 'duisburg', jobId: 'a1' }, { city: 'bochum', jobId: 'b2' }]);
  expect(acceptedJobsIn('a1,duisburg/,/b2,x/y/z')).toEqual([]);
});
