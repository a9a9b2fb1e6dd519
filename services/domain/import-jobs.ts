/**
 * The life of a figure import job (docs/submissions.md#import), without storage or GraphQL: its statuses, which of
 * them are final, and how a job cut off by a restart is told from one that is still running.
 */

/** CHECKING: rows are being checked; WRITING: every row passed and they are being written, in one transaction. */
export const IMPORT_JOB_STATUSES = ['CHECKING', 'WRITING', 'SUCCEEDED', 'REFUSED', 'FAILED'] as const;
export type ImportJobStatus = (typeof IMPORT_JOB_STATUSES)[number];

/**
 * A running job not heard of for this long was cut off (its process stopped or died): its transaction rolled back
 * with the connection, so nothing of it was written, and it reads FAILED. The default of the city's
 * `IMPORT_JOB_SILENCE_MS`.
 */
export const IMPORT_JOB_SILENCE_MS = 60_000;

/** How often a running job shows it is alive, besides its progress: many times within the silence, so a busy process is not taken for a dead one. */
export function heartbeatEvery(silenceMs: number): number {
  return Math.max(100, Math.min(5_000, Math.floor(silenceMs / 12)));
}
/** Progress is written every this many rows, not per row: a 10,000-row file costs a few dozen small updates. */
export const IMPORT_PROGRESS_EVERY_ROWS = 500;

export function isFinished(status: ImportJobStatus): boolean {
  return status === 'SUCCEEDED' || status === 'REFUSED' || status === 'FAILED';
}

/** Whether a job that left nothing written may give its idempotency key to a new job: it was refused or cut off. */
export function wroteNothing(status: ImportJobStatus): boolean {
  return status === 'REFUSED' || status === 'FAILED';
}

/** The status a job has, as stored and as last heard of: one still running but silent too long was cut off. */
export function effectiveStatus(job: { status: ImportJobStatus; heartbeatAt: Date }, now: Date, silenceMs = IMPORT_JOB_SILENCE_MS): ImportJobStatus {
  if (isFinished(job.status)) return job.status;
  return now.getTime() - job.heartbeatAt.getTime() > silenceMs ? 'FAILED' : job.status;
}

/** Whether progress from `recorded` to `reached` rows (of `total`) is worth a write: every few hundred rows, and the last. */
export function progressWorthRecording(recorded: number, reached: number, total: number): boolean {
  return reached >= total ? reached > recorded : reached - recorded >= IMPORT_PROGRESS_EVERY_ROWS;
}
