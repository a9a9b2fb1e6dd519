import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A part of the city administration that reports its own staff and training figures (Organisationseinheit). */
@Entity({ name: 'organisational_unit' })
export class OrganisationalUnit {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'name_de', type: 'text' })
  nameDe!: string;

  @Column({ name: 'name_en', type: 'text' })
  nameEn!: string;

  /** The Jobcenter, whose staff the forum committed to train interculturally in full. */
  @Column({ name: 'is_jobcenter', type: 'boolean', default: false })
  isJobcenter!: boolean;
}
