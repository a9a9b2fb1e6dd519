import type { EntityManager } from 'typeorm';
import type { Viewer } from '../auth/viewer';
import type { Logger } from '../logger';
import { AuditEntry, type AuditOutcome } from './audit-entry.entity';

export interface AuditRecord {
  action: string;
  target: Record<string, unknown>;
  outcome: AuditOutcome;
  detail: Record<string, unknown>;
  idempotencyKey?: string | null;
}

/** The roles a token granted, as the audit log writes them: `hr:duisburg`, `admin`, or `anonymous`. */
export function grantedRoles(viewer: Viewer): string {
  return [...viewer.roles].map((role) => (role === 'hr' && viewer.city ? `hr:${viewer.city}` : role)).join(',') || 'anonymous';
}

/**
 * Appends to a service's audit log. Inside a write's transaction the entry commits or rolls back with the write; a
 * refusal is logged on its own. Either way, an entry that cannot be written fails the request (the database error
 * reaches the client as `DATABASE_UNAVAILABLE` or `INTERNAL_SERVER_ERROR`): no refusal is answered without its entry.
 */
export async function appendAudit(manager: EntityManager, viewer: Viewer, record: AuditRecord, logger: Logger): Promise<void> {
  try {
    await manager.insert(AuditEntry, {
      actorSubject: storable(viewer.subject),
      actorName: storable(viewer.name),
      actorRoles: grantedRoles(viewer),
      action: record.action,
      target: storable(record.target) as never,
      outcome: record.outcome,
      detail: storable(record.detail) as never,
      idempotencyKey: record.idempotencyKey == null ? null : storable(record.idempotencyKey),
    });
  } catch (error) {
    logger.error({ err: error, action: record.action, outcome: record.outcome }, 'audit log entry could not be written: the request fails');
    throw error;
  }
}

/**
 * PostgreSQL stores no U+0000 in text or jsonb, and a refusal of input holding one must still be logged: the
 * character is written as U+FFFD (the replacement character), everything else as it came.
 */
function storable<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '\uFFFD') as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [storable(key), storable(entry)])) as T;
  }
  return value;
}

/** Newest first; `before` an entry id for the next page. */
export function readAuditLog(manager: EntityManager, limit: number, before?: string | null): Promise<AuditEntry[]> {
  const query = manager.getRepository(AuditEntry).createQueryBuilder('entry').orderBy('entry.id', 'DESC').limit(Math.min(Math.max(limit, 1), 1000));
  if (before) query.where('entry.id < :before', { before });
  return query.getMany();
}

/** DDL of the audit log table, for each service's migrations. */
export function auditLogTableSql(schema: string): string[] {
  return [
    `CREATE TABLE ${schema}.audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_subject text NOT NULL,
        actor_name text NOT NULL,
        actor_roles text NOT NULL,
        action text NOT NULL,
        target jsonb NOT NULL,
        outcome varchar(16) NOT NULL CHECK (outcome IN ('ACCEPTED', 'REPLAYED', 'REFUSED', 'CONFLICT', 'FORBIDDEN', 'UNAUTHENTICATED')),
        detail jsonb NOT NULL,
        idempotency_key text
      )`,
    `CREATE INDEX audit_log_at ON ${schema}.audit_log (at DESC)`,
  ];
}

export function toAuditLogEntry(entry: AuditEntry) {
  return {
    id: entry.id,
    at: entry.at,
    actor: entry.actorSubject,
    actorName: entry.actorName,
    roles: entry.actorRoles,
    action: entry.action,
    target: entry.target,
    outcome: entry.outcome,
    detail: entry.detail,
  };
}
