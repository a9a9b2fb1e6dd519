import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What is withheld from confidential readers in one revision (services/city/confidentiality.ts), kept once decided:
 * deciding takes the integer solver over the revision's whole history, and the pattern of a revision never changes
 * once decided, so a restarted city reads it instead of deciding again. Added to only.
 */
@Entity({ name: 'withheld_pattern' })
export class WithheldPatternRecord {
  /** Which revision sequence: `staff` (a year's staff figures) or `training` (a unit's training figures of a year). */
  @PrimaryColumn({ type: 'text' })
  kind!: string;

  @PrimaryColumn({ name: 'revision_id', type: 'int' })
  revisionId!: number;

  /** The version of the withholding rules that decided it (WITHHOLDING_RULES_VERSION). */
  @PrimaryColumn({ name: 'rules_version', type: 'int' })
  rulesVersion!: number;

  /** The cells withheld (services/domain/suppression.ts names them). */
  @Column({ type: 'text', array: true })
  withheld!: string[];

  @Column({ name: 'assumes_published_unchanged', type: 'boolean' })
  assumesPublishedUnchanged!: boolean;

  /** Whether the revision is withheld whole (RevisionPattern.hidesRevision). */
  @Column({ name: 'hides_revision', type: 'boolean' })
  hidesRevision!: boolean;

  @Column({ name: 'decided_at', type: 'timestamptz', default: () => 'now()' })
  decidedAt!: Date;
}
