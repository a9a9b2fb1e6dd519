import 'reflect-metadata';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { authChecker } from '../common/auth/auth-checker';
import type { AnnualCounts, MemberFigures } from '../domain/progress';
import { buildFederatedSchema, type MemberStamp } from '../common/subgraph-schema';
import { memberTypeDescription, type Member, type Registry } from '../common/registry';
import { toMemberView, type ForumContext, type ForumRoot, type MemberView } from './context';
import { AdministrationResolver, CommitmentResolver, ForumAuditResolver } from './resolvers/administration.resolver';
import { ForumResolver } from './resolvers/forum.resolver';
import { MemberTemplate } from './types/member.type';
import { errorExtensions } from '../common/error-codes';

let baseSchema: GraphQLSchema | undefined;

function forumBaseSchema(): GraphQLSchema {
  baseSchema ??= buildSchemaSync({
    resolvers: [ForumResolver, ForumAuditResolver, CommitmentResolver, AdministrationResolver],
    orphanedTypes: [MemberTemplate],
    authChecker,
  });
  return baseSchema;
}

const stampFor = (registry: Registry): MemberStamp => ({
  types: { MemberTemplate: registry.members.map((member) => ({ typeName: member.typeName, description: memberTypeDescription(member) })) },
});


/** What the gateway sends back for @requires: the members in the order the forum listed them. */
interface ForumRepresentation {
  id: string;
  members?: ReadonlyArray<{ annualFigures?: AnnualCounts[] | null } | null>;
}

/**
 * Pairs the required figures with the members. The gateway builds the list from the `members` the forum
 * returned, in the same order, and leaves a null where a city did not answer: position is the only link, so
 * a length mismatch (the registry changed mid-request) is refused rather than guessed.
 */
export function pairRequiredFigures(registry: Registry, representation: ForumRepresentation): Array<MemberFigures<Member>> | undefined {
  if (!representation.members) return undefined;
  if (representation.members.length !== registry.members.length) {
    throw new GraphQLError('The member list changed while the request ran; ask again.', {
      extensions: errorExtensions('MEMBERS_CHANGED'),
    });
  }
  return registry.members.map((member, index) => ({
    member,
    annual: representation.members?.[index]?.annualFigures ?? null,
  }));
}

export function forumSubgraphSchema(registry: Registry): GraphQLSchema {
  // References are resolved from the request's registry, which carries administrators' membership corrections.
  const memberReferences = Object.fromEntries(
    registry.members.map((member) => [
      member.typeName,
      {
        __resolveReference: (reference: { id: string }, context: ForumContext) => {
          const current = reference.id === member.id ? context.registry.members.find((candidate) => candidate.id === member.id) : undefined;
          return current ? toMemberView(current) : null;
        },
      },
    ]),
  );
  return buildFederatedSchema({
    schema: forumBaseSchema(),
    stamp: stampFor(registry),
    resolvers: {
      ...memberReferences,
      Forum: {
        __resolveReference: (representation: ForumRepresentation, context: ForumContext): ForumRoot | null =>
          representation.id === registry.forum.id
            ? { id: representation.id, requiredFigures: pairRequiredFigures(context.registry, representation) }
            : null,
      },
      Municipality: { __resolveType: (view: MemberView) => view.typeName },
    },
  });
}
