import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A submission made with an idempotency key: a retry with the same key gets this result again. */
@Entity({ name: 'idempotency_record' })
export class IdempotencyRecord {
  @PrimaryColumn({ name: 'actor_subject', type: 'text' })
  actorSubject!: string;

  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  operation!: string;

  /** SHA-256 of the submission: the same key with other figures is refused, not replayed. */
  @Column({ name: 'payload_hash', type: 'text' })
  payloadHash!: string;

  /** What the first submission produced (the revision row, or an import's report). */
  @Column({ type: 'jsonb' })
  result!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
