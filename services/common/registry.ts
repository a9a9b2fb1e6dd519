import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ParityBasis } from '../domain/targets';
import { fromProjectRoot } from './project-root';

/** How sure a figure is: published by an official source, submitted by a city's HR team, or estimated. */
export const provenanceKinds = ['OFFICIAL', 'SUBMITTED', 'ESTIMATE'] as const;
export type ProvenanceKind = (typeof provenanceKinds)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date such as 2010-05-28');

/** A fact from outside the hub: its provenance, and the source that an `OFFICIAL` one must name. */
const sourced = z
  .object({
    provenance: z.enum(provenanceKinds),
    source: z.string().min(1).optional(),
    note: z.string().min(1).optional(),
  })
  .refine((fact) => fact.provenance !== 'OFFICIAL' || fact.source !== undefined, {
    message: 'an OFFICIAL figure must name its source',
    path: ['source'],
  })
  .refine((fact) => fact.provenance !== 'ESTIMATE' || fact.note !== undefined, {
    message: 'an ESTIMATE must say in a note how it was estimated',
    path: ['note'],
  });

const share = z.number().min(0).max(1);

/**
 * Figures by year, at least one, one per year: a target for a year must rest on one figure, not on a choice between
 * two. Kept in year order, whatever order the file lists them in.
 */
function yearlySeries<Figure extends z.ZodType<{ year: number }>>(figure: Figure) {
  return z
    .array(figure)
    .min(1, 'needs at least one figure')
    .superRefine((figures, ctx) => {
      const seen = new Set<number>();
      figures.forEach((entry, index) => {
        if (seen.has(entry.year)) ctx.addIssue({ code: 'custom', path: [index, 'year'], message: `a second figure for ${entry.year}` });
        seen.add(entry.year);
      });
    })
    .transform((figures) => [...figures].sort((a, b) => a.year - b.year));
}

const memberSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _ only, starting with a letter (it names a subgraph)'),
  name: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  /**
   * Where the member is reached when not on its own port of this machine: another hub's router in front of it (a
   * regional hub), or its service elsewhere (docs/routing.md). `SUBGRAPH_URL_<ID>` overrides it per deployment.
   */
  endpoint: z.string().url().optional(),
  membership: z.intersection(
    z.object({
      since: isoDate,
      precision: z.enum(['DAY', 'YEAR']),
      /** Not in the file: the forum sets it when an administrator has corrected these facts (0: as in the file). */
      revision: z.number().int().min(0).optional(),
    }),
    sourced,
  ),
  /** Inhabitants by year (Einwohnerzahl): the weights of the forum-wide parity benchmark. */
  populationSeries: yearlySeries(z.intersection(z.object({ count: z.number().int().positive(), year: z.number().int() }), sourced)),
  /**
   * The population's share with a migration history by year: the bases of POPULATION_PARITY targets. Migrationshintergrund
   * (Mikrozensus, registers) or Einwanderungsgeschichte (Zensus 2022): not the same group.
   */
  populationShares: yearlySeries(
    z.intersection(
      z.object({ share, year: z.number().int(), definition: z.enum(['MIGRATION_BACKGROUND', 'IMMIGRATION_HISTORY']) }),
      sourced,
    ),
  ),
  staffTarget: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('FIXED'), share, source: z.string().min(1) }),
    z.object({ kind: z.literal('POPULATION_PARITY') }),
  ]),
  records: z.object({
    /** false where a city records only nationality, as Herne does: its migration figures are "not recorded". */
    migrationHistory: z.boolean(),
    foreignNationality: z.boolean(),
  }),
  units: z
    .array(z.object({ id: z.string().regex(/^[a-z][a-z0-9-]*$/), name: z.string(), nameEn: z.string(), jobcenter: z.boolean().optional() }))
    .optional(),
});

const registrySchema = z
  .object({
    forum: z.object({
      id: z.string().min(1),
      name: z.string().min(1),
      cooperationSince: z.number().int(),
      port: z.number().int().min(1).max(65535),
    }),
    members: z.array(memberSchema).min(1),
  })
  .superRefine((registry, ctx) => {
    const unique = (key: 'id' | 'port') => {
      const seen = new Set<unknown>(key === 'port' ? [registry.forum.port] : ['forum', 'Forum']);
      registry.members.forEach((member, index) => {
        if (seen.has(member[key])) {
          ctx.addIssue({ code: 'custom', path: ['members', index, key], message: `${key} ${String(member[key])} is already taken` });
        }
        seen.add(member[key]);
      });
    };
    unique('id');
    unique('port');
  });

export type Member = z.infer<typeof memberSchema>;
export type Registry = z.infer<typeof registrySchema>;
export type StaffTargetKind = Member['staffTarget']['kind'];

export class RegistryError extends Error {
  override name = 'RegistryError';
}

/** The default registry, checked in next to the schema it shapes. `MEMBERS_FILE` points elsewhere (tests, new members). */
export function registryPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.MEMBERS_FILE ?? fromProjectRoot('schema', 'members.json');
}

export function parseRegistry(json: unknown, origin = 'registry'): Registry {
  const result = registrySchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new RegistryError(`${origin} is not a valid member registry:\n${problems.join('\n')}`);
  }
  return {
    ...result.data,
    members: [...result.data.members].sort((a, b) => a.id.localeCompare(b.id)),
  };
}

export function loadRegistry(file = registryPath()): Registry {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RegistryError(`cannot read the member registry ${file}: ${(error as Error).message}`);
  }
  return parseRegistry(json, file);
}

export function findMember(registry: Registry, id: string): Member {
  const member = registry.members.find((candidate) => candidate.id === id);
  if (!member) {
    const known = registry.members.map((candidate) => candidate.id).join(', ');
    throw new RegistryError(`"${id}" is not a member city; the registry names: ${known}`);
  }
  return member;
}

export type PopulationCount = Member['populationSeries'][number];
export type PopulationShareEntry = Member['populationShares'][number];

/**
 * Where a parity basis comes from, as the schema shows provenance: the figure's source, and a note when it stands in for
 * an earlier year than its own.
 */
export function parityBasisProvenance(basis: ParityBasis<PopulationShareEntry>, year: number): { kind: ProvenanceKind; source: string | null; note: string | null } {
  const { figure, provenance } = basis;
  const standsIn = figure.year > year ? `No population share of ${year} or earlier is known; the earliest, of ${figure.year}, stands in.` : null;
  return { kind: provenance, source: figure.source ?? null, note: [standsIn, figure.note].filter(Boolean).join(' ') || null };
}

/** Environment-variable suffix for per-city settings: `muelheim` -> `MUELHEIM` (as in `DATABASE_URL_MUELHEIM`). */
export function envSuffix(id: string): string {
  return id.toUpperCase();
}
