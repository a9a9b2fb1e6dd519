import { parse, Kind, type EnumValueDefinitionNode, type StringValueNode } from 'graphql';

/** The subgraphs a supergraph composes, with the addresses it names (`join__Graph` values). */
export function supergraphSubgraphs(supergraphSdl: string): Array<{ name: string; url: string }> {
  const document = parse(supergraphSdl);
  const graphs = document.definitions.find(
    (definition) => definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph',
  );
  if (!graphs || graphs.kind !== Kind.ENUM_TYPE_DEFINITION) throw new Error('not a supergraph: no join__Graph enum');
  return (graphs.values ?? []).map((value: EnumValueDefinitionNode) => {
    const directive = value.directives?.find((candidate) => candidate.name.value === 'join__graph');
    const argument = (name: string) =>
      (directive?.arguments?.find((candidate) => candidate.name.value === name)?.value as StringValueNode | undefined)?.value;
    const name = argument('name');
    const url = argument('url');
    if (!name || !url) throw new Error(`supergraph: join__Graph.${value.name.value} lacks a name or url`);
    return { name, url };
  });
}
