import path from 'node:path';
import { generatedFiles, staleFiles } from '../../schema/generated-files';
import { loadRegistry } from '../../services/common/registry';
import { projectRoot } from '../../services/common/project-root';

const root = projectRoot();

describe('generated files (npm run compose)', () => {
  const generated = generatedFiles(loadRegistry(), root);

  it('compose: the subgraphs form a valid supergraph', () => {
    expect(generated.composition.supergraph).toContain('type Municipality');
    expect([...generated.composition.subgraphs.keys()].sort()).toEqual(['city', 'forum']);
  });

  it('are checked in as generated: run `npm run compose` when this fails', () => {
    expect(staleFiles(generated).map((file) => path.relative(root, file))).toEqual([]);
  });

  it('give no composition hints', () => {
    expect(generated.composition.hints).toEqual([]);
  });
});
