/**
 * The `Municipality` entity is declared by the forum (membership) and by the city subgraph (figures), each with the
 * fields it resolves; composition merges them, and their descriptions must agree.
 */
export const MUNICIPALITY_DESCRIPTION =
  "A member municipality of the forum (Mitgliedsstadt). Every member is this one type: its membership comes from the forum, its figures from the municipality's own service, to which the hub routes by `id`.";

export const MUNICIPALITY_ID_DESCRIPTION = 'Stable id, lower case (e.g. duisburg, muelheim).';
