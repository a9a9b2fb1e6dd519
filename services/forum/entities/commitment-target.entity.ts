import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TargetKind } from '../../common/graphql/target-kind.enum';

/** One revision of a commitment's target: changed only by administrators, never overwritten. */
@Entity({ name: 'commitment_target' })
export class CommitmentTargetRevision {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'commitment_id', type: 'varchar', length: 64 })
  commitmentId!: string;

  @Column({ type: 'int' })
  revision!: number;

  @Column({ name: 'target_kind', type: 'varchar', length: 32 })
  targetKind!: TargetKind;

  @Column({
    name: 'target_share',
    type: 'numeric',
    precision: 5,
    scale: 4,
    nullable: true,
    transformer: { to: (value: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) },
  })
  targetShare!: number | null;

  @Column({ name: 'submitted_by', type: 'text' })
  submittedBy!: string;

  @Column({ name: 'submitted_at', type: 'timestamptz', default: () => 'now()' })
  submittedAt!: Date;

  @Column({ type: 'text' })
  reason!: string;
}
