import { Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn } from 'typeorm';
import { OrganisationalUnit } from './organisational-unit.entity';
import { RevisedFigures } from './revised-figures.entity';

/** One revision of a year's staff figures, from the staff survey and the personnel records. */
@Entity({ name: 'staff_figures' })
export class StaffFiguresRevision extends RevisedFigures {
  @Column({ type: 'int', nullable: true })
  headcount!: number | null;

  @Column({ type: 'int', nullable: true })
  respondents!: number | null;

  @Column({ name: 'with_migration_history', type: 'int', nullable: true })
  withMigrationHistory!: number | null;

  @Column({ name: 'with_foreign_nationality', type: 'int', nullable: true })
  withForeignNationality!: number | null;

  @OneToMany(() => StaffUnitFigures, (unitFigures) => unitFigures.staffFigures)
  units?: StaffUnitFigures[];
}

/** The optional breakdown of one staff-figures revision by organisational unit. */
@Entity({ name: 'staff_unit_figures' })
export class StaffUnitFigures {
  @PrimaryGeneratedColumn()
  id!: number;

  @ManyToOne(() => StaffFiguresRevision, (staff) => staff.units)
  @JoinColumn({ name: 'staff_figures_id' })
  staffFigures?: StaffFiguresRevision;

  @Column({ name: 'staff_figures_id', type: 'int' })
  staffFiguresId!: number;

  @ManyToOne(() => OrganisationalUnit)
  @JoinColumn({ name: 'unit_id' })
  unit?: OrganisationalUnit;

  @Column({ name: 'unit_id', type: 'varchar', length: 64 })
  unitId!: string;

  @Column({ type: 'int', nullable: true })
  headcount!: number | null;

  @Column({ type: 'int', nullable: true })
  respondents!: number | null;

  @Column({ name: 'with_migration_history', type: 'int', nullable: true })
  withMigrationHistory!: number | null;
}
