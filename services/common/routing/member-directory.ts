import { unwatchFile, watchFile, type Stats } from 'node:fs';
import { envSuffix, loadRegistry, registryPath, type Member, type Registry } from '../registry';

/** Where a member municipality's service is reached. */
export interface MemberAddress {
  id: string;
  name: string;
  /** Its GraphQL endpoint: the city's own service, or another hub's router in front of it (docs/routing.md). */
  url: string;
}

/** How often the registry file is looked at for changes: a new member is routed within about this long. */
export const DIRECTORY_POLL_MS = 1_000;

/**
 * How long the hub's other services take, with their default settings, to follow a change of the registry: the forum
 * reads the file within DIRECTORY_POLL_MS, and a city asks the forum for its membership again within 3 s
 * (MEMBERSHIP_REFRESH_MS), each on its own clock.
 */
export const MEMBERSHIP_SETTLE_MS = 5_000;

/**
 * The member directory: id -> the municipality's endpoint, read from the registry file and read again whenever the
 * file changes, so that adding a member, moving it or ending its membership takes effect in the running hub without
 * composing or restarting anything (the schema does not name members). `SUBGRAPH_URL_<ID>` overrides an address;
 * a member's `endpoint` in the registry points at another hub; otherwise `http://localhost:<port>/graphql`.
 */
export class MemberDirectory {
  private registry: Registry;
  private addresses = new Map<string, MemberAddress>();
  /** The members reached at each endpoint, ordered by id (several behind one regional hub). */
  private endpoints = new Map<string, string[]>();
  private readonly listeners = new Set<(registry: Registry) => void>();
  private watching = false;

  constructor(
    private readonly file: string = registryPath(),
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly onReloadFailed: (error: Error) => void = () => undefined,
  ) {
    this.registry = loadRegistry(file);
    this.index();
  }

  /** The registry as last read: the forum and its members, ordered by id. */
  current(): Registry {
    return this.registry;
  }

  address(id: string): MemberAddress | undefined {
    return this.addresses.get(id);
  }

  knows(id: string): boolean {
    return this.addresses.has(id);
  }

  /** The members reached at `url`, ordered by id: one for a city's own service, several behind a regional hub. */
  membersAt(url: string): readonly string[] {
    return this.endpoints.get(url) ?? [];
  }

  /** Every member's address, ordered by id. */
  all(): MemberAddress[] {
    return [...this.addresses.values()];
  }

  /** Calls `listener` with the new registry after every change read from the file. */
  onChange(listener: (registry: Registry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Follows the file; a file that does not parse is reported and the last good directory stays in force. */
  watch(): this {
    if (this.watching) return this;
    this.watching = true;
    watchFile(this.file, { interval: DIRECTORY_POLL_MS, persistent: false }, this.reread);
    return this;
  }

  close(): void {
    if (!this.watching) return;
    this.watching = false;
    unwatchFile(this.file, this.reread);
  }

  /** Reads the file again now (tests and administrators' tools need not wait for the poll). */
  reload(): void {
    this.registry = loadRegistry(this.file);
    this.index();
    for (const listener of this.listeners) listener(this.registry);
  }

  private readonly reread = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size) return;
    try {
      this.reload();
    } catch (error) {
      this.onReloadFailed(error as Error);
    }
  };

  private index(): void {
    this.addresses = new Map(this.registry.members.map((member) => [member.id, { id: member.id, name: member.name, url: memberUrl(member, this.env) }]));
    this.endpoints = new Map();
    for (const { id, url } of this.addresses.values()) {
      const members = this.endpoints.get(url);
      if (members) members.push(id);
      else this.endpoints.set(url, [id]);
    }
  }
}

/**
 * A member's endpoint: `SUBGRAPH_URL_<ID>`, else the registry's `endpoint`, else its port on `MEMBER_SERVICES_HOST`
 * (default `localhost`; `npm start` sets 127.0.0.1, so that a member moved in the registry is followed there too).
 */
export function memberUrl(member: Pick<Member, 'id' | 'port' | 'endpoint'>, env: NodeJS.ProcessEnv = process.env): string {
  return env[`SUBGRAPH_URL_${envSuffix(member.id)}`] ?? member.endpoint ?? `http://${env.MEMBER_SERVICES_HOST ?? 'localhost'}:${member.port}/graphql`;
}
