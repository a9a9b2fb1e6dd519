import { readFileSync } from 'node:fs';
import { buildASTSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType, parse } from 'graphql';
import { fromProjectRoot } from '../../services/common/project-root';

/** Analysts learn the schema in GraphiQL: every type, field, argument and enum value says what it is. */
const supergraph = readFileSync(fromProjectRoot('schema', 'supergraph.graphql'), 'utf8');
const schema = buildASTSchema(parse(supergraph), { assumeValidSDL: true });
const federationInternal = /^(join__|link__|_)/;
const rootTypes = new Set(['Query', 'Mutation']);

it('describes every type, field, argument and enum value of the supergraph', () => {
  const undescribed: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || federationInternal.test(type.name) || isSpecifiedScalarType(type)) continue;
    if (!rootTypes.has(type.name) && !type.description) undescribed.push(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (field.name.startsWith('_')) continue;
        if (!field.description) undescribed.push(`${type.name}.${field.name}`);
        for (const argument of 'args' in field ? field.args : []) {
          if (!argument.description) undescribed.push(`${type.name}.${field.name}(${argument.name})`);
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (!value.description) undescribed.push(`${type.name}.${value.name}`);
    }
    if (isScalarType(type) && !type.description) undescribed.push(type.name);
  }
  expect(undescribed).toEqual([]);
});
