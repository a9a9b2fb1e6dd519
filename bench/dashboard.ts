/// <reference lib="dom" />
/**
 * `npm run bench:dashboard`: how fast the forum overview is there on first load (a fresh browser each time, nothing
 * cached), and how much JavaScript it takes. Runs its own hub (embedded PostgreSQL in memory, ports of its own).
 * Prints a table and writes bench/results/dashboard.json. Target: first load under 1 s, JavaScript under 300 KB.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { fromProjectRoot } from '../services/common/project-root';
import { writeRegistryOnPorts } from './environment';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
// Below the ephemeral range (32768 and up), where outgoing connections take ports at any moment.
const base = 20_000 + Math.floor(Math.random() * 12_000);

async function startHub(workdir: string) {
  const membersFile = path.join(workdir, 'members.json');
  writeRegistryOnPorts(membersFile, base);
  const { DATABASE_URL: _unused, ...environment } = process.env;
  const hub = spawn(process.execPath, [fromProjectRoot('dist', 'services', 'tools', 'launcher', 'main.js')], {
    env: { ...environment, MEMBERS_FILE: membersFile, PORT: String(base), EMBEDDED_DB_PORT: String(base + 1), EMBEDDED_DB_DIR: 'memory://', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    hub.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('is running')) resolve();
    });
    hub.once('exit', (code) => reject(new Error(`hub exited (${code}):\n${output}`)));
  });
  return hub;
}

function javascriptBytes(): { raw: number; gzip: number } {
  const dir = fromProjectRoot('dist', 'dashboard');
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => readFileSync(path.join(dir, match[1]!)));
  return { raw: scripts.reduce((sum, file) => sum + file.length, 0), gzip: scripts.reduce((sum, file) => sum + gzipSync(file).length, 0) };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main(): Promise<void> {
  const workdir = mkdtempSync(path.join(tmpdir(), 'ifh-bench-'));
  const hub = await startHub(workdir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const url = `http://127.0.0.1:${base}/`;
    const warm = await browser.newPage();
    await warm.goto(url);
    await warm.close();
    const firstLoad: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url);
      // Loaded means: the forum's pooled share is on screen, with its figures from the API.
      await page.waitForFunction(() => document.querySelector('[data-testid="pooled-staff-share"]')?.getAttribute('data-value'));
      firstLoad.push(await page.evaluate(() => performance.now()));
      await context.close();
    }
    firstLoad.sort((a, b) => a - b);
    const bytes = javascriptBytes();
    const result = {
      runs: RUNS,
      firstLoadMs: { p50: Math.round(percentile(firstLoad, 50)), p95: Math.round(percentile(firstLoad, 95)), max: Math.round(firstLoad.at(-1)!) },
      javascriptKb: { raw: Math.round(bytes.raw / 1024), gzip: Math.round(bytes.gzip / 1024) },
      targets: { firstLoadMs: 1000, javascriptGzipKb: 300 },
    };
    console.table({
      'first load of the overview, p50 (ms)': { value: result.firstLoadMs.p50, target: '< 1000' },
      'first load of the overview, p95 (ms)': { value: result.firstLoadMs.p95, target: '< 1000' },
      'JavaScript sent, gzip (KB)': { value: result.javascriptKb.gzip, target: '< 300' },
    });
    mkdirSync(fromProjectRoot('bench', 'results'), { recursive: true });
    writeFileSync(fromProjectRoot('bench', 'results', 'dashboard.json'), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await browser.close();
    hub.kill('SIGINT');
    await new Promise((resolve) => hub.once('exit', resolve));
    rmSync(workdir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
