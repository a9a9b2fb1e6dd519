import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayCredentialSigner } from '../services/common/auth/gateway-credential';
import { ANONYMOUS } from '../services/common/auth/viewer';
import type { SigningKey } from '../services/common/auth/keys';
import { percentile } from './measure';

/** One call a gateway made to a subgraph while answering an operation: what it sent, and when. */
export interface SubgraphFetch {
  subgraph: string;
  body: string;
  startedAt: number;
  finishedAt: number;
}

/**
 * Stands between a gateway and the subgraphs (`SUBGRAPH_URL_<NAME>` pointed at `urlFor(name)`), passes every call on
 * unchanged and writes it down. It shows exactly which calls a gateway's query plan makes, in which order, so that
 * they can be sent again without any gateway in between.
 */
export class SubgraphRecorder {
  private fetches: SubgraphFetch[] = [];

  private constructor(
    private readonly server: Server,
    private readonly port: number,
  ) {}

  static async start(subgraphUrls: ReadonlyMap<string, string>): Promise<SubgraphRecorder> {
    let recorder: SubgraphRecorder | undefined;
    const server = createServer((request, response) => {
      void (async () => {
        const subgraph = decodeURIComponent(request.url!.slice(1));
        const target = subgraphUrls.get(subgraph);
        if (!target) {
          response.writeHead(404).end();
          return;
        }
        const body = await readBody(request);
        const startedAt = performance.now();
        const answer = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: request.headers.authorization ?? '' },
          body,
        });
        const text = await answer.text();
        recorder!.fetches.push({ subgraph, body, startedAt, finishedAt: performance.now() });
        response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
      })().catch((error: unknown) => response.writeHead(502).end(String(error)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    recorder = new SubgraphRecorder(server, (server.address() as AddressInfo).port);
    return recorder;
  }

  urlFor(subgraph: string): string {
    return `http://127.0.0.1:${this.port}/${encodeURIComponent(subgraph)}`;
  }

  /** The calls made while `run` ran. */
  async record(run: () => Promise<void>): Promise<SubgraphFetch[]> {
    this.fetches = [];
    await run();
    return this.fetches.sort((a, b) => a.startedAt - b.startedAt);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The plan's stages: calls that ran at the same time form one stage (the plan's Parallel), and a stage starts only
 * once the one before has ended (its Sequence). A gateway cannot answer faster than the sum of each stage's slowest call.
 */
export function stagesOf(fetches: readonly SubgraphFetch[]): SubgraphFetch[][] {
  const stages: SubgraphFetch[][] = [];
  for (const fetchCall of [...fetches].sort((a, b) => a.startedAt - b.startedAt)) {
    const current = stages.at(-1);
    if (current && fetchCall.startedAt < Math.max(...current.map((call) => call.finishedAt))) current.push(fetchCall);
    else stages.push([fetchCall]);
  }
  return stages;
}

export interface DirectFetchFigures {
  /** Per stage, the subgraph whose call was slowest (p50) and that p50 in ms. */
  slowestPerStage: Array<{ subgraph: string; p50: number; calls: number }>;
  /** Sum of the stages' slowest p50: the least time any gateway needs for the operation. */
  floorP50: number;
}

/**
 * Sends a plan's calls straight to the subgraphs, one at a time, `rounds` times each, with a credential like the
 * gateway's own, and reports the slowest subgraph of each stage. Every answer must be free of errors.
 */
export async function measureDirectFetches(
  fetches: readonly SubgraphFetch[],
  subgraphUrls: ReadonlyMap<string, string>,
  gatewayKey: SigningKey,
  rounds: number,
): Promise<DirectFetchFigures> {
  const signer = new GatewayCredentialSigner(gatewayKey);
  const timed = async (call: SubgraphFetch): Promise<number> => {
    const started = performance.now();
    const response = await fetch(subgraphUrls.get(call.subgraph)!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await signer.credentialFor(ANONYMOUS, call.subgraph)}` },
      body: call.body,
    });
    const answer = (await response.json()) as { errors?: unknown[] };
    const elapsed = performance.now() - started;
    if (!response.ok || answer.errors) throw new Error(`${call.subgraph} answered the replayed call with ${response.status} ${JSON.stringify(answer.errors)}`);
    return elapsed;
  };
  const slowestPerStage = [];
  for (const stage of stagesOf(fetches)) {
    let slowest = { subgraph: '', p50: -1, calls: stage.length };
    for (const call of stage) {
      const latencies: number[] = [];
      for (let round = 0; round < rounds; round += 1) latencies.push(await timed(call));
      const p50 = Math.round(percentile(latencies.sort((a, b) => a - b), 50) * 10) / 10;
      if (p50 > slowest.p50) slowest = { subgraph: call.subgraph, p50, calls: stage.length };
    }
    slowestPerStage.push(slowest);
  }
  return { slowestPerStage, floorP50: Math.round(slowestPerStage.reduce((sum, stage) => sum + stage.p50, 0) * 10) / 10 };
}
