import type { Member } from './registry';

/**
 * A member's effective membership as the forum serves it to the cities at `GET /membership/<id>`: the registry
 * file's entry with administrators' corrections applied. Join dates are published facts (the forum's `members` shows
 * them to anyone), so the route asks for no credential; it says nothing the public API does not.
 */
export type MembershipFacts =
  | { id: string; member: true; membership: Member['membership'] }
  | { id: string; member: false };

/** The path the forum serves a member's facts under (the id follows). */
export const MEMBERSHIP_FACTS_PATH = '/membership';

export function membershipFactsOf(members: readonly Member[], id: string): MembershipFacts {
  const member = members.find((candidate) => candidate.id === id);
  return member ? { id, member: true, membership: member.membership } : { id, member: false };
}

/** Whether `value` is an answer of the forum's membership route for `id` (anything else is treated as no answer). */
export function isMembershipFacts(value: unknown, id: string): value is MembershipFacts {
  if (!value || typeof value !== 'object') return false;
  const facts = value as Record<string, unknown>;
  if (facts.id !== id) return false;
  if (facts.member === false) return true;
  const membership = facts.membership as Record<string, unknown> | undefined;
  return facts.member === true && typeof membership?.since === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(membership.since) && (membership.precision === 'DAY' || membership.precision === 'YEAR');
}
