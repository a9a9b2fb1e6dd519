import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import { OrganisationalUnit } from './organisational-unit.entity';
import { RevisedFigures } from './revised-figures.entity';

/** One revision of a unit's intercultural training figures for a year (interkulturelle Schulungen). */
@Entity({ name: 'training_figures' })
export class TrainingFiguresRevision extends RevisedFigures {
  @ManyToOne(() => OrganisationalUnit)
  @JoinColumn({ name: 'unit_id' })
  unit?: OrganisationalUnit;

  @Column({ name: 'unit_id', type: 'varchar', length: 64 })
  unitId!: string;

  @Column({ name: 'staff_in_scope', type: 'int', nullable: true })
  staffInScope!: number | null;

  @Column({ type: 'int', nullable: true })
  completed!: number | null;
}
