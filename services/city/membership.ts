import { Agent, request, type Dispatcher } from 'undici';
import type { Logger } from '../common/logger';
import { isMembershipFacts, type MembershipFacts } from '../common/membership-facts';
import type { MemberDirectory } from '../common/routing/member-directory';
import type { Member } from '../common/registry';
import type { SubgraphClientTls } from '../common/tls';
import type { MembershipSettings } from './config';

/** The city as it stands now: its registry entry with the forum's membership facts, and whether it is still a member. */
export interface EffectiveMembership {
  /** The registry entry (the last one read, if the file no longer lists the city), its membership as the forum has it. */
  member: Member;
  /** The forum says it is no member (any more), or the registry file no longer lists it. */
  ended: boolean;
}

/** Where a city's services read its membership: reads take it as it is known, writes as fresh as it can be had. */
export interface MembershipSource {
  /** As known now, without waiting: for reads, whose figures do not depend on the join date. */
  known(): EffectiveMembership;
  /** Asks the forum again first if the last answer is older than the refresh interval: for submissions. */
  forWrite(): Promise<EffectiveMembership>;
}

/** A membership that never changes: for hosts that run a city from a fixed entry (bench/scale). */
export function fixedMembership(member: Member): MembershipSource {
  const effective = { member, ended: false };
  return { known: () => effective, forWrite: async () => effective };
}

/**
 * Why the city asks the forum, and asks it over HTTP: the membership facts a city's validation rests on (the join
 * year) are the forum's, the registry file with administrators' corrections on top (services/forum/membership.store.ts),
 * and those corrections live in the forum's database, which no city may read. They are public facts, so the forum serves
 * them on a small read-only route that needs no credential (services/common/membership-facts.ts) rather than through
 * the gateway, whose credentials a city does not hold. The answer is kept for `refreshMs`; a forum that does not answer
 * leaves the last answer in force, and before the first answer the registry entry stands (as before corrections
 * existed). The city follows the registry file too (`directory`), so a member removed from it stops writing even
 * while the forum is down.
 */
export class FollowedMembership implements MembershipSource {
  private lastEntry: Member;
  private forum: MembershipFacts | undefined;
  /** When the forum was last asked, answered or not (performance.now()). */
  private askedAt = Number.NEGATIVE_INFINITY;
  private asking: Promise<void> | undefined;
  private forumReachable = true;
  private readonly dispatcher: Dispatcher;

  private readonly id: string;

  constructor(
    /** The city's registry entry at start. */
    initial: Member,
    private readonly directory: MemberDirectory,
    private readonly settings: MembershipSettings,
    private readonly logger: Logger,
    tls?: SubgraphClientTls,
  ) {
    this.id = initial.id;
    this.lastEntry = initial;
    this.dispatcher = new Agent({ ...(tls ? { connect: tls } : {}) });
  }

  known(): EffectiveMembership {
    const entry = this.registryEntry();
    if (entry) this.lastEntry = entry;
    const facts = this.forum;
    const member = facts?.member ? { ...this.lastEntry, membership: facts.membership } : this.lastEntry;
    return { member, ended: !entry || facts?.member === false };
  }

  async forWrite(): Promise<EffectiveMembership> {
    if (performance.now() - this.askedAt >= this.settings.refreshMs) await this.ask();
    return this.known();
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }

  private registryEntry(): Member | undefined {
    return this.directory.current().members.find((member) => member.id === this.id);
  }

  /** One question at a time: submissions arriving together wait for the same answer. */
  private ask(): Promise<void> {
    this.asking ??= this.askForum().finally(() => (this.asking = undefined));
    return this.asking;
  }

  private async askForum(): Promise<void> {
    const url = `${this.settings.factsUrl.replace(/\/$/, '')}/${encodeURIComponent(this.id)}`;
    this.askedAt = performance.now();
    try {
      const response = await request(url, {
        dispatcher: this.dispatcher,
        headersTimeout: this.settings.timeoutMs,
        bodyTimeout: this.settings.timeoutMs,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      const body: unknown = await response.body.json().catch(() => undefined);
      if ((response.statusCode !== 200 && response.statusCode !== 404) || !isMembershipFacts(body, this.id)) {
        throw new Error(`the forum answered HTTP ${response.statusCode} without membership facts`);
      }
      const before = this.forum;
      this.forum = body;
      if (!this.forumReachable) this.logger.info({ url }, 'the forum answers about the membership again');
      this.forumReachable = true;
      if (JSON.stringify(before) !== JSON.stringify(body)) this.logger.info({ facts: body }, 'membership as the forum has it');
    } catch (error) {
      // Kept, not forgotten: the last answer (or the registry entry) is still the best knowledge there is. Asked
      // again at the next submission after `refreshMs`, so a forum that is down costs each write at most one wait.
      if (this.forumReachable) this.logger.warn({ url, err: error }, 'the forum does not answer about the membership; the last known facts stay in force');
      this.forumReachable = false;
    }
  }
}
