/**
 * What a write credential is bound to (services/common/auth/operation-binding.ts): the digest of the operation's
 * text, name and variables, the same however the JSON on the way orders its keys; and whether a document writes at all.
 */
import { canonicalJson, holdsWrite, operationDigest } from '../../services/common/auth/operation-binding';

describe('canonical JSON', () => {
  it('sorts the keys of every object, at every depth, and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: true, e: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"e":null,"f":true}]},"b":1}');
  });

  it('leaves out what JSON leaves out', () => {
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });

  it('writes strings and numbers as JSON does', () => {
    expect(canonicalJson({ text: 'Straße "Süd"\n', number: 1e21, small: 0.1, negativeZero: -0 })).toBe('{"negativeZero":0,"number":1e+21,"small":0.1,"text":"Straße \\"Süd\\"\\n"}');
  });
});

describe('the digest of an operation', () => {
  const query = 'mutation ($input: StaffFiguresInput!) { submitStaffFigures(input: $input) { replayed } }';
  const input = { year: 2025, headcount: 100, reason: 'annual figures' };
  const digest = operationDigest({ query, variables: { input } });

  it('is the same for the same operation, whatever the order of keys on the way', () => {
    expect(operationDigest({ variables: { input: { reason: 'annual figures', headcount: 100, year: 2025 } }, query })).toBe(digest);
    expect(operationDigest(JSON.parse(JSON.stringify({ query, variables: { input } })))).toBe(digest);
  });

  it('changes with any figure, the text or the operation chosen', () => {
    expect(operationDigest({ query, variables: { input: { ...input, headcount: 101 } } })).not.toBe(digest);
    expect(operationDigest({ query: `${query} `, variables: { input } })).not.toBe(digest);
    expect(operationDigest({ query, variables: { input }, operationName: 'Other' })).not.toBe(digest);
  });

  it('counts missing variables as none, and a missing name as null, as GraphQL servers do', () => {
    expect(operationDigest({ query: '{ a }' })).toBe(operationDigest({ query: '{ a }', variables: {}, operationName: null }));
  });

  it('is SHA-256, in base64url', () => {
    expect(digest).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('whether a document writes', () => {
  it.each([
    ['mutation { a }', true],
    ['  # a comment\n\n, mutation Named($x: Int) { a(x: $x) }', true],
    ['subscription { a }', true],
    ['query A { a } mutation B { b }', true],
    ['{ a }', false],
    ['query Read { a } query Other { b }', false],
    ['# mutation { a }\n{ a }', false],
    ['{ mutation: a }', false],
  ])('%j: %s', (document, writes) => {
    expect(holdsWrite(document)).toBe(writes);
  });

  it('does not, when it does not parse: nothing runs it', () => {
    expect(holdsWrite('mutation {')).toBe(false);
    expect(holdsWrite(undefined)).toBe(false);
  });
});
