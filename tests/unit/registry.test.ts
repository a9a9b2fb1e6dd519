import { readFileSync } from 'node:fs';
import { loadPublicFigures, sameCity } from '../../services/city/demo/public-figures';
import { findMember, loadRegistry, parseRegistry, RegistryError } from '../../services/common/registry';
import { parityBasisOf, populationCountFor, staffTargetShare } from '../../services/domain/members';
import { fromProjectRoot } from '../../services/common/project-root';

const checkedIn = JSON.parse(readFileSync(fromProjectRoot('schema', 'members.json'), 'utf8'));
const withFirstMember = (change: Record<string, unknown>) => ({
  ...checkedIn,
  members: [{ ...checkedIn.members[0], ...change }, ...checkedIn.members.slice(1)],
});

describe('the checked-in registry', () => {
  const registry = loadRegistry();

  it('names the 8 members by id', () => {
    expect(registry.members.map((member) => member.id)).toEqual([
      'bochum', 'dortmund', 'duisburg', 'essen', 'gelsenkirchen', 'herne', 'muelheim', 'oberhausen',
    ]);
  });

  it("gives Duisburg its stated 33 % and the others their population's share of the year", () => {
    expect(findMember(registry, 'duisburg').staffTarget).toMatchObject({ kind: 'FIXED', share: 0.33 });
    expect(staffTargetShare(findMember(registry, 'dortmund'), 2024)).toBe(0.41);
    // Dortmund's Mikrozensus share of 2014 sets the targets until the register's share of 2023.
    expect(staffTargetShare(findMember(registry, 'dortmund'), 2022)).toBe(0.301);
    expect(parityBasisOf(findMember(registry, 'dortmund'), 2011)).toMatchObject({ figure: { year: 2014 }, provenance: 'ESTIMATE' });
  });

  it('lists population figures by year, Duisburg and Dortmund with several shares', () => {
    const years = (id: string) => findMember(registry, id).populationShares.map((figure) => figure.year);
    expect(years('duisburg')).toEqual([2005, 2006, 2011, 2014]);
    expect(years('dortmund')).toEqual([2014, 2023]);
    expect(populationCountFor(findMember(registry, 'essen'), 2023)).toMatchObject({ year: 2022, count: 584580 });
    expect(populationCountFor(findMember(registry, 'essen'), 2024)).toMatchObject({ year: 2024, count: 597066 });
  });

  it('agrees with every published figure it cites', () => {
    const published = loadPublicFigures();
    const measures = { MIGRATION_BACKGROUND: 'population_migration_background_share', IMMIGRATION_HISTORY: 'population_immigration_history_share' };
    for (const member of registry.members) {
      const facts = [
        ...member.populationSeries.map((fact) => ({ measure: 'population', fact, value: fact.count, matches: (name: string) => /^population_(official|register|census)$/.test(name) })),
        ...member.populationShares.map((fact) => ({ measure: 'share', fact, value: fact.share, matches: (name: string) => name === measures[fact.definition] })),
      ];
      for (const { measure, fact, value, matches } of facts) {
        if (fact.provenance !== 'OFFICIAL') continue;
        const match = published.find(
          (figure) =>
            sameCity(figure.scope, member.name) &&
            figure.year === fact.year &&
            figure.source === fact.source &&
            figure.value === value &&
            matches(figure.measure),
        );
        expect({ city: member.id, measure, year: fact.year, found: match !== undefined }).toEqual({ city: member.id, measure, year: fact.year, found: true });
      }
    }
  });

  it('uses every published population share of a member city', () => {
    const published = loadPublicFigures().filter((figure) => /^population_(migration_background|immigration_history)_share$/.test(figure.measure));
    for (const figure of published) {
      const member = registry.members.find((candidate) => sameCity(figure.scope, candidate.name))!;
      expect({ city: figure.scope, year: figure.year, used: member.populationShares.some((fact) => fact.year === figure.year && fact.share === figure.value) }).toEqual({
        city: figure.scope,
        year: figure.year,
        used: true,
      });
    }
  });
});

describe('a broken registry', () => {
  const problem = (json: unknown) => {
    try {
      parseRegistry(json, 'members.json');
    } catch (error) {
      expect(error).toBeInstanceOf(RegistryError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it('names the field of an id that cannot name a subgraph', () => {
    expect(problem(withFirstMember({ id: 'Mülheim' }))).toMatch(/members\.0\.id: lower-case letters/);
  });

  it('refuses a port used twice', () => {
    expect(problem(withFirstMember({ port: checkedIn.members[1].port }))).toMatch(/members\.1\.port: port \d+ is already taken/);
  });

  it('refuses an official figure without a source', () => {
    const populationSeries = [{ ...checkedIn.members[0].populationSeries[0], source: undefined }];
    expect(problem(withFirstMember({ populationSeries }))).toMatch(/members\.0\.populationSeries\.0\.source: an OFFICIAL figure must name its source/);
  });

  it('refuses an estimate that does not say how it was made', () => {
    const populationSeries = [{ ...checkedIn.members[0].populationSeries[0], provenance: 'ESTIMATE', source: undefined }];
    expect(problem(withFirstMember({ populationSeries }))).toMatch(/populationSeries\.0\.note: an ESTIMATE must say/);
  });

  it('refuses two population shares for one year, and a member without any', () => {
    const [first] = checkedIn.members[0].populationShares;
    expect(problem(withFirstMember({ populationShares: [first, { ...first, share: 0.2 }] }))).toMatch(
      new RegExp(`members\\.0\\.populationShares\\.1\\.year: a second figure for ${first.year}`),
    );
    expect(problem(withFirstMember({ populationShares: [] }))).toMatch(/members\.0\.populationShares: needs at least one figure/);
  });

  it('refuses "forum" as a city id', () => {
    expect(problem(withFirstMember({ id: 'forum' }))).toMatch(/members\.0\.id: id forum is already taken/);
  });
});

describe('findMember', () => {
  it('lists the known ids when one is unknown', () => {
    expect(() => findMember(loadRegistry(), 'bottrop')).toThrow(/"bottrop" is not a member city; the registry names: bochum, dortmund/);
  });
});
