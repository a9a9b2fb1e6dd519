import { readFileSync } from 'node:fs';
import { loadPublicFigures, sameCity } from '../../services/city/demo/public-figures';
import { findMember, loadRegistry, parseRegistry, RegistryError, staffTargetShare } from '../../services/common/registry';
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

  it("gives Duisburg its stated 33 % and the others their population's share", () => {
    expect(findMember(registry, 'duisburg').staffTarget).toMatchObject({ kind: 'FIXED', share: 0.33 });
    expect(staffTargetShare(findMember(registry, 'dortmund'))).toBe(0.41);
  });

  it('agrees with every published figure it cites', () => {
    const published = loadPublicFigures();
    for (const member of registry.members) {
      const facts = [
        { measure: 'population', fact: member.population, value: member.population.count },
        { measure: 'share', fact: member.populationWithMigrationHistory, value: member.populationWithMigrationHistory.share },
      ];
      for (const { measure, fact, value } of facts) {
        if (fact.provenance !== 'OFFICIAL') continue;
        const match = published.find(
          (figure) =>
            sameCity(figure.scope, member.name) &&
            figure.year === fact.year &&
            figure.source === fact.source &&
            figure.value === value &&
            (measure === 'population' ? figure.measure.startsWith('population_') && !figure.measure.endsWith('share') : figure.measure.endsWith('_share')),
        );
        expect({ city: member.id, measure, found: match !== undefined }).toEqual({ city: member.id, measure, found: true });
      }
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
    const population = { ...checkedIn.members[0].population, source: undefined };
    expect(problem(withFirstMember({ population }))).toMatch(/members\.0\.population\.source: an OFFICIAL figure must name its source/);
  });

  it('refuses an estimate that does not say how it was made', () => {
    const population = { ...checkedIn.members[0].population, provenance: 'ESTIMATE', source: undefined };
    expect(problem(withFirstMember({ population }))).toMatch(/population\.note: an ESTIMATE must say/);
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
