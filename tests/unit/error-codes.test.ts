/**
 * One list of error codes (services/common/error-codes.ts), and the table of docs/operations.md ("Error codes") that
 * tells clients what each means: the same codes, each once.
 */
import { readFileSync } from 'node:fs';
import { ERROR_CODES, hasErrorCode, isErrorCode } from '../../services/common/error-codes';
import { fromProjectRoot } from '../../services/common/project-root';

function documentedCodes(): string[] {
  const operations = readFileSync(fromProjectRoot('docs', 'operations.md'), 'utf8');
  const section = operations.split(/^## /m).find((part) => part.startsWith('Error codes\n'));
  if (!section) throw new Error('docs/operations.md has no "## Error codes" section');
  return [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]!);
}

describe('error codes', () => {
  it('are listed once each', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('are the codes docs/operations.md lists, each once', () => {
    const documented = documentedCodes();
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...ERROR_CODES].sort());
  });

  it("tell the hub's codes from anything else", () => {
    expect(isErrorCode('CITY_UNAVAILABLE')).toBe(true);
    expect(isErrorCode('CITY_UNAVAILABLE ')).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
    expect(hasErrorCode({ extensions: { code: 'CONFLICT' } }, 'CONFLICT')).toBe(true);
    expect(hasErrorCode({ extensions: { code: 'CONFLICT' } }, 'NOT_FOUND')).toBe(false);
    expect(hasErrorCode({}, 'CONFLICT')).toBe(false);
  });
});
