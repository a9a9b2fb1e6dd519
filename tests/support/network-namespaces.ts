import { execFile, execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Separate network hosts on one machine: each a Linux network namespace joined to the host by a veth pair, with
 * its own address in a private /30. A process started with `commandPrefix` runs on that host; taking the host side
 * of its link down cuts it off the network, as a pulled cable would. Needs root and iproute2 (`ip`).
 */
export interface IsolatedHost {
  namespace: string;
  /** Command prefix that runs a program inside the namespace (`ip netns exec` execs it: the pid is the program's). */
  commandPrefix: string[];
  /** The namespace's address, for its services to listen on. */
  address: string;
  /** The host's end of the link, for the namespace to reach services on the host. */
  hostAddress: string;
  hostInterface: string;
}

const PREFIX = 'ifh';

/** Why namespaces cannot be made here, or undefined when they can (tried once, with a namespace made and removed). */
export function namespacesUnavailable(): string | undefined {
  const probe = `${PREFIX}-${process.pid}-probe`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: Buffer };
    if (code === 'ENOENT') return 'iproute2 (`ip`) is not installed';
    return `\`ip netns add\` failed: ${stderr?.toString().trim() || (error as Error).message} (needs root or CAP_SYS_ADMIN)`;
  }
  execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
  return undefined;
}

export class IsolatedHosts {
  private constructor(readonly hosts: IsolatedHost[]) {}

  /** Makes `count` hosts with names unique to this process, in a /24 of 10.0.0.0/8 that no route or address here uses. */
  static async create(count: number): Promise<IsolatedHosts> {
    await removeStaleNamespaces();
    const subnet = await unusedSubnet();
    const made = new IsolatedHosts([]);
    try {
      for (let index = 0; index < count; index += 1) {
        const host: IsolatedHost = {
          namespace: `${PREFIX}-${process.pid}-${index}`,
          commandPrefix: ['ip', 'netns', 'exec', `${PREFIX}-${process.pid}-${index}`],
          hostAddress: `${subnet}.${index * 4 + 1}`,
          address: `${subnet}.${index * 4 + 2}`,
          // Interface names have at most 15 characters.
          hostInterface: `${PREFIX}${process.pid}h${index}`,
        };
        made.hosts.push(host);
        const inside = `${PREFIX}${process.pid}n${index}`;
        await ip('netns', 'add', host.namespace);
        await ip('link', 'add', host.hostInterface, 'type', 'veth', 'peer', 'name', inside, 'netns', host.namespace);
        await ip('addr', 'add', `${host.hostAddress}/30`, 'dev', host.hostInterface);
        await ip('link', 'set', host.hostInterface, 'up');
        await ip('-n', host.namespace, 'addr', 'add', `${host.address}/30`, 'dev', inside);
        await ip('-n', host.namespace, 'link', 'set', inside, 'up');
        await ip('-n', host.namespace, 'link', 'set', 'lo', 'up');
      }
      return made;
    } catch (error) {
      await made.remove();
      throw error;
    }
  }

  /** Takes the host's end of the link down: nothing passes in either direction. */
  async cut(host: IsolatedHost): Promise<void> {
    await ip('link', 'set', host.hostInterface, 'down');
  }

  async reconnect(host: IsolatedHost): Promise<void> {
    await ip('link', 'set', host.hostInterface, 'up');
  }

  /** Removes every namespace and link made; removing a namespace removes its veth pair. Never throws. */
  async remove(): Promise<void> {
    for (const host of this.hosts) {
      await ip('netns', 'del', host.namespace).catch(() => undefined);
      await ip('link', 'del', host.hostInterface).catch(() => undefined);
    }
  }
}

async function ip(...args: string[]): Promise<string> {
  try {
    return (await run('ip', args)).stdout;
  } catch (error) {
    throw new Error(`ip ${args.join(' ')}: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
  }
}

/** Namespaces of earlier test runs whose process died before cleaning up (their name carries its pid). */
async function removeStaleNamespaces(): Promise<void> {
  const names = (await ip('netns', 'list')).split('\n').map((line) => line.split(' ')[0]!);
  for (const name of names) {
    const pid = new RegExp(`^${PREFIX}-(\\d+)-`).exec(name)?.[1];
    if (!pid || isRunning(Number(pid))) continue;
    await ip('netns', 'del', name).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A random `10.x.y` whose /24 overlaps no address or route of this machine (the default route aside). */
async function unusedSubnet(): Promise<string> {
  const used = [
    ...(JSON.parse(await ip('-j', '-4', 'addr')) as Array<{ addr_info: Array<{ local: string; prefixlen: number }> }>).flatMap((link) =>
      link.addr_info.map((info) => `${info.local}/${info.prefixlen}`),
    ),
    ...(JSON.parse(await ip('-j', '-4', 'route', 'show', 'table', 'all')) as Array<{ dst: string }>)
      .map((route) => route.dst)
      .filter((dst) => dst !== 'default' && /^\d/.test(dst)),
  ];
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const candidate = `10.${randomInt(64, 250)}.${randomInt(1, 254)}`;
    if (!used.some((network) => overlaps(network, `${candidate}.0/24`))) return candidate;
  }
  throw new Error(`no free /24 in 10.0.0.0/8 for test hosts; in use: ${used.join(', ')}`);
}

function overlaps(a: string, b: string): boolean {
  const [addressA, lengthA] = parseCidr(a);
  const [addressB, lengthB] = parseCidr(b);
  const length = Math.min(lengthA, lengthB);
  const mask = length === 0 ? 0 : (~0 << (32 - length)) >>> 0;
  return ((addressA & mask) >>> 0) === ((addressB & mask) >>> 0);
}

function parseCidr(cidr: string): [number, number] {
  const [address, length] = cidr.split('/');
  const value = address!.split('.').reduce((sum, octet) => ((sum << 8) + Number(octet)) >>> 0, 0);
  return [value, length === undefined ? 32 : Number(length)];
}
