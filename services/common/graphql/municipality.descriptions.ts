/**
 * The `Municipality` interface is declared by the forum and by every city subgraph, each with the fields it
 * resolves; composition merges them, and their descriptions must agree.
 */
export const MUNICIPALITY_DESCRIPTION =
  'A member city of the forum (Mitgliedsstadt). Each city is its own type (Duisburg, Bochum, ...) served by its own subgraph; ask the common fields here, or use `... on Duisburg` for one city.';

export const MUNICIPALITY_ID_DESCRIPTION = 'Stable id, lower case (e.g. duisburg, muelheim).';
