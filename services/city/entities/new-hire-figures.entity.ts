import { Column, Entity } from 'typeorm';
import { RevisedFigures } from './revised-figures.entity';

/** One revision of a year's new hires (Neueinstellungen), trainees not included. */
@Entity({ name: 'new_hire_figures' })
export class NewHireFiguresRevision extends RevisedFigures {
  @Column({ type: 'int', nullable: true })
  total!: number | null;

  @Column({ name: 'with_migration_history', type: 'int', nullable: true })
  withMigrationHistory!: number | null;
}
