import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_OUTCOMES = ['ACCEPTED', 'REPLAYED', 'REFUSED', 'CONFLICT', 'FORBIDDEN', 'UNAUTHENTICATED'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** One write or write attempt on the city's figures: who, what, when, and how it ended. Never changed. */
@Entity({ name: 'audit_log' })
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ name: 'actor_subject', type: 'text' })
  actorSubject!: string;

  @Column({ name: 'actor_name', type: 'text' })
  actorName!: string;

  @Column({ name: 'actor_roles', type: 'text' })
  actorRoles!: string;

  @Column({ type: 'text' })
  action!: string;

  /** What the attempt was about: year, unit, revision corrected. */
  @Column({ type: 'jsonb' })
  target!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  /** The revision written, or the problems that refused the attempt. */
  @Column({ type: 'jsonb' })
  detail!: Record<string, unknown>;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;
}
