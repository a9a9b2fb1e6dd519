import 'reflect-metadata';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { authChecker } from '../common/auth/auth-checker';
import type { MemberFigures } from '../domain/progress';
import { fromAnnualFiguresTable } from '../common/graphql/annual-figures-table';
import { buildFederatedSchema } from '../common/subgraph-schema';
import type { Member, Registry } from '../common/registry';
import { toMemberView, type ForumContext, type ForumRoot, type MemberView } from './context';
import { AdministrationResolver, CommitmentResolver, ForumAuditResolver } from './resolvers/administration.resolver';
import { ForumResolver } from './resolvers/forum.resolver';
import { errorExtensions } from '../common/error-codes';

let baseSchema: GraphQLSchema | undefined;

function forumBaseSchema(): GraphQLSchema {
  baseSchema ??= buildSchemaSync({
    resolvers: [ForumResolver, ForumAuditResolver, CommitmentResolver, AdministrationResolver],
    authChecker,
  });
  return baseSchema;
}


/** What the gateway sends back for @requires: the members in the order the forum listed them. */
interface ForumRepresentation {
  id: string;
  members?: ReadonlyArray<{ annualFiguresTable?: unknown } | null>;
}

const membersChanged = () =>
  new GraphQLError('The member list changed while the request ran; ask again.', {
    extensions: errorExtensions('MEMBERS_CHANGED'),
  });

/**
 * Pairs the required figures with the members. The gateway builds the list from the `members` the forum
 * returned, in the same order, and leaves a null where a city did not answer. Position is the link, and each city's
 * figures name their member (`municipalityId`): a list of another length, or figures at a position that name another
 * member (the registry changed between the forum's two answers of one request, its length the same), is refused
 * rather than counted for the wrong city.
 */
export function pairRequiredFigures(registry: Registry, representation: ForumRepresentation): Array<MemberFigures<Member>> | undefined {
  if (!representation.members) return undefined;
  if (representation.members.length !== registry.members.length) throw membersChanged();
  return registry.members.map((member, index) => {
    const table = representation.members?.[index]?.annualFiguresTable ?? null;
    if (table === null) return { member, annual: null };
    const { municipalityId, annual } = fromAnnualFiguresTable(table);
    if (municipalityId !== member.id) throw membersChanged();
    return { member, annual };
  });
}

/**
 * The forum's schema. It names no member: every request reads the registry as it is then (`context.registry`), so the
 * same schema serves the members added or ended while the forum runs.
 */
export function forumSubgraphSchema(): GraphQLSchema {
  return buildFederatedSchema({
    schema: forumBaseSchema(),
    resolvers: {
      Municipality: {
        // Resolved from the request's registry, which carries administrators' membership corrections.
        __resolveReference: (reference: { id: string }, context: ForumContext): MemberView | null => {
          const current = context.registry.members.find((candidate) => candidate.id === reference.id);
          return current ? toMemberView(current) : null;
        },
      },
      Forum: {
        __resolveReference: (representation: ForumRepresentation, context: ForumContext): ForumRoot | null =>
          representation.id === context.registry.forum.id
            ? { id: representation.id, requiredFigures: pairRequiredFigures(context.registry, representation) }
            : null,
      },
    },
  });
}
