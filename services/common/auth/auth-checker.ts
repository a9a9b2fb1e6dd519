import type { AuthChecker } from 'type-graphql';
import type { Member } from '../registry';
import { Access, allows, denial } from './access';
import type { Viewer } from './viewer';

/**
 * type-graphql's `@Authorized(Access.X)` for every subgraph: the subgraph checks the role itself, whatever the
 * gateway did (defence in depth). Several accesses mean any of them; a refusal names what was needed.
 */
export const authChecker: AuthChecker<{ viewer: Viewer; member?: Member }, Access> = ({ context }, accesses) => {
  const city = context.member ? { id: context.member.id, name: context.member.name } : undefined;
  if (accesses.some((access) => allows(context.viewer, access, city))) return true;
  throw denial(context.viewer, accesses[0] ?? Access.ADMIN, city);
};
