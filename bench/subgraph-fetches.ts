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

export interface DirectFetchFigures {
  /** Per stage, the subgraph whose call was slowest (p50) and that p50 in ms. */
  slowestPerStage: Array<{ subgraph: string; p50: number; calls: number }>;
  /** Sum of the stages' slowest p50, each call sent alone: the slowest subgraph's own time, stage by stage. */
  floorP50: number;
  /**
   * p50 of the whole plan sent straight to the subgraphs, each stage's calls at once as a gateway sends them: what a
   * gateway costing nothing would take on this machine, where the subgraphs of a stage share its cores.
   */
  concurrentFloorP50: number;
}

/**
 * Sends a plan's calls straight to the subgraphs with a credential like the gateway's own: one at a time, `rounds`
 * times each, for the slowest subgraph of each stage; then the whole plan `rounds` times, stage after stage, each
 * stage's calls at once. Every answer must be free of errors.
 */
export async function measureDirectFetches(
  stages: readonly SubgraphFetch[][],
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
  for (const stage of stages) {
    let slowest = { subgraph: '', p50: -1, calls: stage.length };
    for (const call of stage) {
      const latencies: number[] = [];
      for (let round = 0; round < rounds; round += 1) latencies.push(await timed(call));
      const p50 = Math.round(percentile(latencies.sort((a, b) => a - b), 50) * 10) / 10;
      if (p50 > slowest.p50) slowest = { subgraph: call.subgraph, p50, calls: stage.length };
    }
    slowestPerStage.push(slowest);
  }
  const wholePlan: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    for (const stage of stages) await Promise.all(stage.map(timed));
    wholePlan.push(performance.now() - started);
  }
  const oneDecimal = (value: number) => Math.round(value * 10) / 10;
  return {
    slowestPerStage,
    floorP50: oneDecimal(slowestPerStage.reduce((sum, stage) => sum + stage.p50, 0)),
    concurrentFloorP50: oneDecimal(percentile(wholePlan.sort((a, b) => a - b), 50)),
  };
}
