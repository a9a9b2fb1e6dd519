import type { DataSource } from 'typeorm';
import type { MemberFigures } from '../domain/progress';
import type { ForumAdministrationService } from './administration.service';
import type { CommitmentsStore } from './commitments.store';
import type { Viewer } from '../common/auth/viewer';
import type { Member, Registry } from '../common/registry';
import type { WriteReceipt } from '../common/write-receipt';
import type { Commitment } from './types/commitment.type';

export interface ForumContext {
  registry: Registry;
  dataSource: DataSource;
  commitmentsStore: CommitmentsStore;
  administration: ForumAdministrationService;
  /** Who is asking, as the gateway vouches. */
  viewer: Viewer;
  /** The forum's commitments, read at most once per request. */
  commitments: () => Promise<Commitment[]>;
  /** Whether this request committed a write: the gateway is told in the answer's header. */
  writes: WriteReceipt;
}

/** The Forum entity as resolvers see it; `requiredFigures` is filled when the gateway brings @requires data. */
export interface ForumRoot {
  id: string;
  requiredFigures?: Array<MemberFigures<Member>>;
}

/** A member municipality as the forum resolves it. */
export interface MemberView {
  id: string;
  name: string;
  memberSince: string;
  membership: {
    since: string;
    precision: 'DAY' | 'YEAR';
    revision: number;
    provenance: { kind: Member['membership']['provenance']; source: string | null; note: string | null };
  };
}

export function toMemberView(member: Member): MemberView {
  const { since, precision, revision, provenance, source, note } = member.membership;
  return {
    id: member.id,
    name: member.name,
    memberSince: since,
    membership: { since, precision, revision: revision ?? 0, provenance: { kind: provenance, source: source ?? null, note: note ?? null } },
  };
}
