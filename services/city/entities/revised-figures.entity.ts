import { Column, PrimaryGeneratedColumn } from 'typeorm';
import type { ProvenanceKind } from '../../common/registry';

/**
 * Columns every figure table shares. Figures are never updated in place: a correction is a new row with the
 * next revision number, who submitted it, when and why; the latest revision is the one queries show.
 */
export abstract class RevisedFigures {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'int' })
  year!: number;

  @Column({ type: 'int' })
  revision!: number;

  @Column({ name: 'provenance_kind', type: 'varchar', length: 16 })
  provenanceKind!: ProvenanceKind;

  @Column({ name: 'provenance_source', type: 'text', nullable: true })
  provenanceSource!: string | null;

  @Column({ name: 'provenance_note', type: 'text', nullable: true })
  provenanceNote!: string | null;

  @Column({ name: 'submitted_by', type: 'text' })
  submittedBy!: string;

  @Column({ name: 'submitted_at', type: 'timestamptz', default: () => 'now()' })
  submittedAt!: Date;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;
}
