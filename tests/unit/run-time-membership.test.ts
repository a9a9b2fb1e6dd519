import { readMembershipSettings } from '../../services/city/config';
import { isMembershipFacts, membershipFactsOf } from '../../services/common/membership-facts';
import { findMember, loadRegistry } from '../../services/common/registry';
import { submissionYears } from '../../services/domain/members';

const registry = loadRegistry();
const gelsenkirchen = findMember(registry, 'gelsenkirchen');

describe('the years a city may submit', () => {
  it('run from the year it joined to the current year', () => {
    expect(submissionYears({ membership: { since: '2014-01-01' } }, new Date('2026-03-01T00:00:00Z'))).toEqual({ firstYear: 2014, lastYear: 2026 });
  });

  it('never begin before the cooperation did (2008)', () => {
    expect(submissionYears({ membership: { since: '2005-06-01' } }, new Date('2026-03-01T00:00:00Z')).firstYear).toBe(2008);
  });
});

describe("where a city asks for its membership", () => {
  it("is the forum's port on this machine by default, asked again after 3 s", () => {
    expect(readMembershipSettings(registry, {})).toEqual({ factsUrl: `http://localhost:${registry.forum.port}/membership`, refreshMs: 3000, timeoutMs: 1000 });
  });

  it("follows the forum's GraphQL address, and an explicit URL wins", () => {
    expect(readMembershipSettings(registry, { SUBGRAPH_URL_FORUM: 'https://forum:4001/graphql' }).factsUrl).toBe('https://forum:4001/membership');
    expect(readMembershipSettings(registry, { SUBGRAPH_URL_FORUM: 'https://forum:4001/graphql', FORUM_MEMBERSHIP_URL: 'http://facts/membership' }).factsUrl).toBe('http://facts/membership');
  });

  it('refuses a refresh interval that is not a positive number', () => {
    expect(() => readMembershipSettings(registry, { MEMBERSHIP_REFRESH_MS: '0' })).toThrow(/MEMBERSHIP_REFRESH_MS="0"/);
  });
});

describe("the forum's membership facts", () => {
  it("say a member's membership, or that the id is no member", () => {
    expect(membershipFactsOf(registry.members, 'gelsenkirchen')).toEqual({ id: 'gelsenkirchen', member: true, membership: gelsenkirchen.membership });
    expect(membershipFactsOf(registry.members, 'bottrop')).toEqual({ id: 'bottrop', member: false });
  });

  it('are believed only when they are about the city that asked and name a date', () => {
    const facts = membershipFactsOf(registry.members, 'gelsenkirchen');
    expect(isMembershipFacts(facts, 'gelsenkirchen')).toBe(true);
    expect(isMembershipFacts(facts, 'herne')).toBe(false);
    expect(isMembershipFacts({ id: 'gelsenkirchen', member: true, membership: { since: 'soon', precision: 'YEAR' } }, 'gelsenkirchen')).toBe(false);
    expect(isMembershipFacts({ error: 'unavailable' }, 'gelsenkirchen')).toBe(false);
  });
});
