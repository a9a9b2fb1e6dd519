import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ProvenanceKind } from '../../common/registry';

/**
 * A correction of a member's membership facts by an administrator, e.g. a join date that was estimated until the
 * forum's records were found. Revision 0 is the registry's entry; corrections are revisions from 1, never overwritten.
 */
@Entity({ name: 'membership_revision' })
export class MembershipRevision {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'member_id', type: 'varchar', length: 64 })
  memberId!: string;

  @Column({ type: 'int' })
  revision!: number;

  /** ISO date; the pg driver would turn a `date` into a local-time Date, so it is kept as text. */
  @Column({ type: 'varchar', length: 10 })
  since!: string;

  @Column({ type: 'varchar', length: 4 })
  precision!: 'DAY' | 'YEAR';

  @Column({ name: 'provenance_kind', type: 'varchar', length: 16 })
  provenanceKind!: ProvenanceKind;

  @Column({ type: 'text', nullable: true })
  source!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'submitted_by', type: 'text' })
  submittedBy!: string;

  @Column({ name: 'submitted_at', type: 'timestamptz', default: () => 'now()' })
  submittedAt!: Date;

  @Column({ type: 'text' })
  reason!: string;
}
