import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TargetKind } from '../../common/graphql/target-kind.enum';
import type { CommitmentMeasure } from '../types/commitment.type';

/** A commitment the member cities made together, and its target (Selbstverpflichtung). */
@Entity({ name: 'commitment' })
export class CommitmentRecord {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  measure!: CommitmentMeasure;

  @Column({ name: 'target_kind', type: 'varchar', length: 32 })
  targetKind!: TargetKind;

  /** numeric in the database so that 0.33 stays 0.33; the pg driver returns it as a string. */
  @Column({
    name: 'target_share',
    type: 'numeric',
    precision: 5,
    scale: 4,
    nullable: true,
    transformer: { to: (value: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) },
  })
  targetShare!: number | null;

  @Column({ name: 'title_de', type: 'text' })
  titleDe!: string;

  @Column({ name: 'title_en', type: 'text' })
  titleEn!: string;

  @Column({ type: 'text' })
  explanation!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder!: number;
}
