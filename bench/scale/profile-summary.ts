/**
 * Where a process's time went, from a V8 CPU profile (`npm run bench:scale -- --profile` writes the gateway's and the
 * city hosts' into bench/results/): self time by package and by function, as shares of the busy (not idle) time.
 *
 *   node dist/bench/scale/profile-summary.js bench/results/CPU.<...>.cpuprofile [rows]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `.../node_modules/@apollo/gateway/dist/x.js` -> `@apollo/gateway`; `node:net` stays; our own code by file. */
export function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName || '(native)';
  const packagePath = url.split('node_modules/').at(-1)!;
  if (packagePath !== url) return packagePath.split('/').slice(0, packagePath.startsWith('@') ? 2 : 1).join('/');
  if (url.includes('/dist/')) return `project: ${url.split('/dist/').at(-1)}`;
  return url;
}

/** Kinds of work, for the gateway: what a reader of docs/performance.md can act on. */
const KINDS: Array<[string, RegExp]> = [
  ['garbage collection', /^\(garbage collector\)$/],
  ['HTTP and sockets (undici fetch, web streams, writes, abort signals)', /undici|webstreams|node:net|js_transferable|JSTransferable|abort_controller|event_target|stream_base_commons|^writev$|^close$|node-fetch|^wasm:|node:internal\/(encoding|url|timers)/],
  ['query plan execution and results merging (@apollo/gateway, federation-internals)', /@apollo\/(gateway|federation-internals|query-graphs|query-planner)/],
  ['graphql-js (parsing, validation, execution)', /^graphql$/],
  ['database client and ORM (typeorm, pg)', /typeorm|^pg|postgres-/],
  ['Apollo Server, Express, compression', /@apollo\/server|express|router|body-parser|zlib|compression|@as-integrations/],
  ['tokens and signatures (jose, crypto)', /jose|crypto/],
  ['Node runtime: promises, events, streams, buffers', /^runMicrotasks$|node:events|task_queues|node:internal\/streams|buffer|async_hooks|node:internal\/errors|^set natives$|^\(program\)$/],
  ['loading modules (start-up)', /modules\/cjs|^node:fs$|^node:path$|^(lstat|internalModuleStat|readFileUtf8)$/],
];

export function summarizeProfile(profile: CpuProfile): { busyMs: number; idleMs: number; byKind: Map<string, number>; byOwner: Map<string, number>; byFunction: Map<string, number> } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byKind = new Map<string, number>();
  let idleMs = 0;
  let busyMs = 0;
  profile.samples.forEach((sample, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const { functionName, url, lineNumber } = nodes.get(sample)!.callFrame;
    if (functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    const owner = ownerOf(url, functionName);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms);
    const name = `${functionName || '(anonymous)'} (${owner}:${lineNumber + 1})`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const kind = KINDS.find(([, pattern]) => pattern.test(owner))?.[0] ?? 'other';
    byKind.set(kind, (byKind.get(kind) ?? 0) + ms);
  });
  return { busyMs, idleMs, byKind, byOwner, byFunction };
}

function main(): void {
  const [file, rowsText] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.js <file.cpuprofile> [rows]');
  const rows = Number(rowsText ?? 15);
  const { busyMs, idleMs, byKind, byOwner, byFunction } = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  const table = (entries: Map<string, number>) =>
    Object.fromEntries(
      [...entries]
        .sort((a, b) => b[1] - a[1])
        .slice(0, rows)
        .map(([name, ms]) => [name, { 'busy %': Math.round((ms / busyMs) * 1000) / 10, ms: Math.round(ms) }]),
    );
  console.log(`${file}: busy ${Math.round(busyMs)} ms, idle ${Math.round(idleMs)} ms`);
  console.log('By kind of work');
  console.table(table(byKind));
  console.log('By package');
  console.table(table(byOwner));
  console.log('By function (self time)');
  console.table(table(byFunction));
}

if (require.main === module) main();
