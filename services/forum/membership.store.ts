import type { DataSource, EntityManager } from 'typeorm';
import type { Member, Registry } from '../common/registry';
import { MembershipRevision } from './entities/membership-revision.entity';

/** The registry as the forum serves it: each member's membership facts with the latest correction applied. */
export class MembershipStore {
  constructor(private readonly dataSource: DataSource) {}

  async latest(manager: EntityManager = this.dataSource.manager): Promise<Map<string, MembershipRevision>> {
    const rows = await manager
      .getRepository(MembershipRevision)
      .createQueryBuilder('membership')
      .distinctOn(['membership.memberId'])
      .orderBy('membership.memberId')
      .addOrderBy('membership.revision', 'DESC')
      .getMany();
    return new Map(rows.map((row) => [row.memberId, row]));
  }

  async effective(registry: Registry, manager?: EntityManager): Promise<Registry> {
    const corrections = await this.latest(manager);
    if (corrections.size === 0) return registry;
    return { ...registry, members: registry.members.map((member) => withMembership(member, corrections.get(member.id))) };
  }
}

export function withMembership(member: Member, correction: MembershipRevision | undefined): Member {
  if (!correction) return member;
  return {
    ...member,
    membership: {
      since: correction.since,
      precision: correction.precision,
      revision: correction.revision,
      provenance: correction.provenanceKind,
      ...(correction.source ? { source: correction.source } : {}),
      ...(correction.note ? { note: correction.note } : {}),
    },
  };
}
