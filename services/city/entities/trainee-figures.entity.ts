import { Column, Entity } from 'typeorm';
import { RevisedFigures } from './revised-figures.entity';

/** One revision of a year's trainee intake (Auszubildende, Einstellungen des Jahres). */
@Entity({ name: 'trainee_figures' })
export class TraineeFiguresRevision extends RevisedFigures {
  @Column({ type: 'int', nullable: true })
  intake!: number | null;

  @Column({ name: 'with_migration_history', type: 'int', nullable: true })
  withMigrationHistory!: number | null;
}
