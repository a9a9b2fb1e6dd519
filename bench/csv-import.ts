import { spawn } from 'node:child_process';
import type { Member } from '../services/common/registry';
import { COOPERATION_BEGAN } from '../services/domain/cooperation';

/** Rows one year of one city takes in the import format: staff, new hires and trainees once, staff and training per unit. */
const rowsPerYear = (units: number) => 3 + 2 * units;

export interface ImportFile {
  csv: string;
  rows: number;
  units: Array<{ id: string; name: string; nameEn: string; jobcenter?: boolean }>;
}

/**
 * A CSV file of at least `minimumRows` rows for one city, every year it can report (the year it joined to this one),
 * with as many organisational units as it takes: the size a large city's full history by unit reaches. Figures are
 * consistent (units add up to no more than the totals), so the whole file is accepted.
 */
export function importFileFor(member: Member, minimumRows: number, lastYear = new Date().getFullYear()): ImportFile {
  const firstYear = Math.max(COOPERATION_BEGAN, Number(member.membership.since.slice(0, 4)));
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, index) => firstYear + index);
  const unitCount = Math.ceil((Math.ceil(minimumRows / years.length) - rowsPerYear(0)) / 2);
  const units = Array.from({ length: unitCount }, (_, index) => {
    const number = String(index + 1).padStart(3, '0');
    return { id: `unit-${number}`, name: `Fachbereich ${number}`, nameEn: `Department ${number}`, ...(index === 0 ? { jobcenter: true } : {}) };
  });
  const lines = ['kind,year,unit,headcount,respondents,withMigrationHistory,withForeignNationality,count,staffInScope,completed,correctsRevision,reason,source'];
  for (const year of years) {
    const perUnit = { headcount: 30, respondents: 20, withMigrationHistory: 4 + (year % 5) };
    lines.push(`staff,${year},,${unitCount * 30 + 200},${unitCount * 20 + 100},${unitCount * perUnit.withMigrationHistory + 20},${unitCount * 3},,,,,,Benchmark file`);
    for (const unit of units) lines.push(`staff-unit,${year},${unit.id},${perUnit.headcount},${perUnit.respondents},${perUnit.withMigrationHistory},,,,,,,`);
    lines.push(`new-hires,${year},,,,${40 + (year % 7)},,${200 + (year % 11)},,,,,Benchmark file`);
    lines.push(`trainees,${year},,,,${30 + (year % 3)},,${120 + (year % 13)},,,,,Benchmark file`);
    for (const unit of units) lines.push(`training,${year},${unit.id},,,,,,${perUnit.headcount},${10 + (year % 20)},,,Benchmark file`);
  }
  return { csv: `${lines.join('\n')}\n`, rows: lines.length - 1, units };
}

export interface ImportRun {
  ms: number;
  output: string;
}

/** `npm run import` as an HR team runs it (without npm's own start-up): from start to its exit, which must be 0. */
export async function runImportCommand(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ImportRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`the import failed (exit code ${code}):\n${output}`);
  return { ms, output };
}
