/**
 * Statistical confidentiality (Geheimhaltung) for counts by organisational unit: which counts a reader outside the
 * city may not see, chosen so that no withheld count can be worked out from what that reader does see.
 *
 * The attacker (docs/security.md) sees every published count of every revision of a year, knows the relations
 * between them (withMigrationHistory <= respondents <= headcount per unit, completed <= staffInScope, the units of a
 * column adding up to at most the city's total), knows that a zero is never withheld, and may assume that a count
 * with the same value in two consecutive revisions did not change. The rule: for every withheld count, the smallest
 * and the largest value consistent with all of that, over the integers, are at least `PROTECTION_WIDTH` apart.
 *
 * The method is sequential cell suppression with a protection-level audit: the sensitive (primary) cells of a
 * revision are withheld, then integer programmes bound every withheld cell of the year's revisions so far, and
 * while one is too narrow, the cheapest set of published cells of the newest revision that protects it is withheld
 * too (one more integer programme, after Fischetti and Salazar-González's model for a single sensitive cell).
 * Revisions are append-only and so are their patterns: revision k's pattern depends on revisions 1..k only, and
 * never changes once a reader may have seen it.
 *
 * The module is plain: numbers in, withheld cells out. The integer programmes go to HiGHS (`integerBounds`).
 */
import loadHighs from 'highs';

/** The smallest count that is published as it is; 1 and 2 describe too few people. */
export const MINIMUM_COUNT = 3;

/**
 * The version of the rules below that decide what is withheld. A city keeps each revision's pattern with the version
 * that decided it (services/city/confidentiality.ts), so that what a reader was once shown stays what is shown after a
 * restart. Raise it only with a change of these rules: patterns kept under another version are then decided again,
 * which may show a reader of both versions more than either alone (docs/security.md).
 */
export const WITHHOLDING_RULES_VERSION = 1;

/** The smallest distance between the least and the greatest value a reader can deduce for a withheld count. */
export const PROTECTION_WIDTH = 3;

/** The largest count a figure can hold (PostgreSQL `integer`): the bound a reader knows for a count with no other. */
export const LARGEST_COUNT = 2_147_483_647;

/** What readers are told about a withheld value: only that it is withheld, never why in a way that bounds it. */
export type SuppressionReason = 'CONFIDENTIAL';

// ---------------------------------------------------------------------------------------------------------------
// Integer programmes: the solver behind a small interface.

export interface LinearTerm {
  variable: string;
  coefficient: number;
}

/** `Σ coefficient · variable` compared with `bound`. */
export interface LinearConstraint {
  terms: readonly LinearTerm[];
  relation: '<=' | '>=' | '=';
  bound: number;
}

/** Integer variables between their bounds, and linear constraints over them. */
export interface LinearSystem {
  variables: ReadonlyArray<{ name: string; lower: number; upper: number }>;
  constraints: readonly LinearConstraint[];
}

/** A system loaded into the solver once, to be optimised for one objective after another. */
export interface LoadedSystem {
  /** An optimal solution (the value of every variable) over the integers, or null when the system has none. */
  optimum(sense: 'minimize' | 'maximize', objective: readonly LinearTerm[]): ReadonlyMap<string, number> | null;
  /** Releases the solver's memory (WebAssembly memory is not garbage-collected). */
  dispose(): void;
}

/** Loads a system into the solver. */
export type IntegerSolver = (system: LinearSystem) => LoadedSystem;

export interface IntegerRange {
  min: number;
  max: number;
}

let solver: Promise<IntegerSolver> | undefined;

/** HiGHS (WebAssembly), loaded once per process. */
export function loadIntegerSolver(): Promise<IntegerSolver> {
  solver ??= loadHighs().then((highs) => (system: LinearSystem) => loadInto(highs, system));
  return solver;
}

/**
 * A zero gap: ranges are compared with a protection width of a few units, so optima must be exact. The programmes
 * are tiny, and HiGHS's primal heuristics cost more than they save on them (a solve takes a fifth of the time
 * without); they only find solutions sooner, never change the optimum.
 */
const SOLVER_OPTIONS = { output_flag: false, mip_rel_gap: 0, mip_heuristic_effort: 0 };

type Highs = Awaited<ReturnType<typeof loadHighs>>;

/**
 * The system as one persistent HiGHS model (rows in compressed sparse row form): a model is built once and solved
 * for each objective, several times cheaper than a fresh solver per programme.
 */
function loadInto(highs: Highs, system: LinearSystem): LoadedSystem {
  const column = new Map(system.variables.map((entry, index) => [entry.name, index]));
  const indexOf = (variable: string) => {
    const found = column.get(variable);
    if (found === undefined) throw new Error(`integer programme: unknown variable ${variable}`);
    return found;
  };
  const starts = [0];
  const indices: number[] = [];
  const values: number[] = [];
  for (const constraint of system.constraints) {
    for (const term of constraint.terms) {
      indices.push(indexOf(term.variable));
      values.push(term.coefficient);
    }
    starts.push(indices.length);
  }
  const numCols = system.variables.length;
  const numRows = system.constraints.length;
  const model = highs.createModel({
    numCols,
    numRows,
    colCost: new Array<number>(numCols).fill(0),
    colLower: system.variables.map((entry) => entry.lower),
    colUpper: system.variables.map((entry) => entry.upper),
    rowLower: system.constraints.map((constraint) => (constraint.relation === '<=' ? -highs.infinity : constraint.bound)),
    rowUpper: system.constraints.map((constraint) => (constraint.relation === '>=' ? highs.infinity : constraint.bound)),
    matrix: { format: 'csr', numRows, numCols, starts: Int32Array.from(starts), indices: Int32Array.from(indices), values: Float64Array.from(values) },
    integrality: new Array(numCols).fill(highs.constants.variableType.integer),
  });
  model.options.set(SOLVER_OPTIONS);
  let costed: number[] = [];
  return {
    optimum(sense, objective) {
      for (const index of costed) model.changeColCost(index, 0);
      costed = objective.map((term) => {
        const index = indexOf(term.variable);
        model.changeColCost(index, term.coefficient);
        return index;
      });
      model.changeObjectiveSense(sense === 'minimize' ? highs.constants.objectiveSense.minimize : highs.constants.objectiveSense.maximize);
      model.run();
      const status = model.getModelStatus();
      if (status === highs.constants.modelStatus.infeasible) return null;
      if (status !== highs.constants.modelStatus.optimal) throw new Error(`integer programme ended with HiGHS model status ${status}`);
      const solution = model.getSolution().colValue;
      return new Map(system.variables.map((entry, index) => [entry.name, Math.round(solution[index]!)]));
    },
    dispose: () => model.dispose(),
  };
}

/** Loads a system, hands it to `use`, and releases it however `use` ends. */
function withLoaded<Result>(solve: IntegerSolver, system: LinearSystem, use: (loaded: LoadedSystem) => Result): Result {
  const loaded = solve(system);
  try {
    return use(loaded);
  } finally {
    loaded.dispose();
  }
}

/** The least or greatest value of `variable` over a loaded system that has a solution. */
function extreme(loaded: LoadedSystem, sense: 'minimize' | 'maximize', variable: string): number {
  const solution = loaded.optimum(sense, [{ variable, coefficient: 1 }]);
  if (!solution) throw new Error('integer bounds: the system has no solution');
  return solution.get(variable)!;
}

/** The least and greatest integer value of `variable` over a (feasible) system. */
export function boundsOf(solve: IntegerSolver, system: LinearSystem, variable: string): IntegerRange {
  const component = componentOf(system, [variable]);
  if (!component.variables.some((candidate) => candidate.name === variable)) throw new Error(`integer bounds: no variable ${variable}`);
  return withLoaded(solve, component, (loaded) => ({ min: extreme(loaded, 'minimize', variable), max: extreme(loaded, 'maximize', variable) }));
}

/**
 * The range of a withheld count, or null when it is at least the protection width. `truth` holds every variable's
 * true value, which lies in every range: a solution that puts the count the width away from its true value
 * settles the question, and one is often found by moving a single other count (`witnessed`) without a solver.
 */
function narrowRange(solve: IntegerSolver, system: LinearSystem, variable: string, truth: ReadonlyMap<string, number>): IntegerRange | null {
  const value = truth.get(variable)!;
  if (witnessed(system, truth, variable, PROTECTION_WIDTH) || witnessed(system, truth, variable, -PROTECTION_WIDTH)) return null;
  return withLoaded(solve, componentOf(system, [variable]), (loaded) => {
    const max = extreme(loaded, 'maximize', variable);
    if (max - value >= PROTECTION_WIDTH) return null;
    const min = extreme(loaded, 'minimize', variable);
    return max - min >= PROTECTION_WIDTH ? null : { min, max };
  });
}

/**
 * Whether the system has a solution with `variable` at its true value plus `shift`, found by moving, for each
 * constraint that shift breaks, one other variable of it by what restores it, where that breaks nothing else. A
 * cheap, sound test (what it finds is a solution); where it finds none, the solver decides.
 */
function witnessed(system: LinearSystem, truth: ReadonlyMap<string, number>, variable: string, shift: number): boolean {
  const bounds = new Map(system.variables.map((entry) => [entry.name, entry]));
  const point = new Map(truth);
  const inBounds = (name: string, value: number) => value >= bounds.get(name)!.lower && value <= bounds.get(name)!.upper;
  const excess = (constraint: LinearConstraint) => {
    const activity = constraint.terms.reduce((sum, term) => sum + term.coefficient * point.get(term.variable)!, 0);
    if (constraint.relation === '<=') return Math.max(activity - constraint.bound, 0);
    if (constraint.relation === '>=') return Math.min(activity - constraint.bound, 0);
    return activity - constraint.bound;
  };
  const constraintsOf = (name: string) => system.constraints.filter((constraint) => constraint.terms.some((term) => term.variable === name));
  const target = truth.get(variable)! + shift;
  if (!inBounds(variable, target)) return false;
  point.set(variable, target);
  const moved = new Set([variable]);
  for (const constraint of constraintsOf(variable)) {
    const over = excess(constraint);
    if (over === 0) continue;
    const repair = constraint.terms.find((term) => {
      if (moved.has(term.variable) || over % term.coefficient !== 0) return false;
      const before = point.get(term.variable)!;
      const after = before - over / term.coefficient;
      if (!inBounds(term.variable, after)) return false;
      point.set(term.variable, after);
      if (constraintsOf(term.variable).every((other) => excess(other) === 0 || other === constraint)) return true;
      point.set(term.variable, before);
      return false;
    });
    if (!repair) return false;
    moved.add(repair.variable);
  }
  return [...moved].every((name) => constraintsOf(name).every((constraint) => excess(constraint) === 0));
}

/** The least and greatest integer value of `variable` subject to `system`: what an attacker can deduce about it. */
export async function integerBounds(system: LinearSystem, variable: string): Promise<IntegerRange> {
  return boundsOf(await loadIntegerSolver(), system, variable);
}

/** Only the constraints connected to the variables bear on them: the programme stays small. */
function componentOf(system: LinearSystem, variables: readonly string[]): LinearSystem {
  const reached = new Set(variables);
  const pending = [...variables];
  const byVariable = new Map<string, LinearConstraint[]>();
  for (const constraint of system.constraints) {
    for (const { variable } of constraint.terms) {
      const list = byVariable.get(variable);
      if (list) list.push(constraint);
      else byVariable.set(variable, [constraint]);
    }
  }
  const constraints = new Set<LinearConstraint>();
  while (pending.length > 0) {
    for (const constraint of byVariable.get(pending.pop()!) ?? []) {
      if (constraints.has(constraint)) continue;
      constraints.add(constraint);
      for (const { variable } of constraint.terms) {
        if (!reached.has(variable)) {
          reached.add(variable);
          pending.push(variable);
        }
      }
    }
  }
  return {
    variables: system.variables.filter((entry) => reached.has(entry.name)),
    constraints: system.constraints.filter((constraint) => constraints.has(constraint)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Tables of counts over revisions, and the audit of a pattern.

/** One count of a revision. The same key in two revisions is the same figure, corrected or not. */
export interface TableCell {
  key: string;
  /** Null: not recorded. It is no variable of the attacker's, and never withheld. */
  value: number | null;
  column: string;
  /** A city total: withheld only where no unit count can protect a withheld count. */
  total: boolean;
  /** Published in any case (a city-level figure without a breakdown): a bound every reader has. */
  alwaysPublished?: boolean;
}

/** A revision of a table: its counts, the relations a reader knows, and which counts are sensitive. */
export interface TableRevision {
  cells: readonly TableCell[];
  /** `[part, whole]`: part <= whole. */
  atMost: ReadonlyArray<readonly [string, string]>;
  /** The parts add up to at most the whole. */
  sums: ReadonlyArray<{ parts: readonly string[]; whole: string }>;
  /** Withheld in any case: counts of 1 or 2. */
  primary: readonly string[];
  /**
   * Pairs that must not be seen to be equal (every respondent has a migration history): the first is withheld, or
   * the second where the first is public already (published unchanged in the revision before).
   */
  primaryEither: ReadonlyArray<readonly [string, string]>;
}

/** Which counts of a revision are withheld. */
export interface RevisionPattern {
  withheld: ReadonlySet<string>;
  /**
   * Whether the audit assumes that a count published in the revision before and withheld in this one did not
   * change. False only where that earlier publication already bounds a withheld count of this revision so tightly
   * that nothing this revision withholds can widen it (docs/security.md).
   */
  assumesPublishedUnchanged: boolean;
  /**
   * Whether the revision is withheld whole, zeros included: the last resort where withholding every count that may
   * be withheld still lets the revision narrow a withheld count (its withheld counts are then known to be above 0).
   * A reader sees that every count is withheld and so knows nothing of any of them, not even that it is above 0.
   * Counts that are always published (staff with a foreign nationality) stay published.
   */
  hidesRevision: boolean;
}

/** The audit's name for a cell of a revision (0-based): the variable in `auditSystem`. */
export function cellVariable(revision: number, key: string): string {
  return `${revision}|${key}`;
}

/**
 * What a reader knows about a history of revisions and their patterns, as an integer programme: one variable per
 * withheld count (at least 1, since a zero is never withheld), the published counts as constants, each revision's
 * relations, and consecutive revisions' equal counts linked. Relations the data itself breaks are left out, so
 * that the true values are always a solution.
 */
export function auditSystem(revisions: readonly TableRevision[], patterns: readonly RevisionPattern[]): LinearSystem {
  const variables: Array<{ name: string; lower: number; upper: number }> = [];
  const constraints: LinearConstraint[] = [];
  const valueOf = revisions.map((revision) => new Map(revision.cells.map((cell) => [cell.key, cell.value])));
  const withheld = (index: number, key: string) => patterns[index]?.withheld.has(key) ?? false;

  /** A cell as a term: a variable if withheld, a constant if published, nothing if not recorded. */
  const term = (index: number, key: string): { variable: string } | { constant: number } | null => {
    const value = valueOf[index]!.get(key);
    if (value == null) return null;
    return withheld(index, key) ? { variable: cellVariable(index, key) } : { constant: value };
  };
  /** `Σ plus - Σ minus (relation) 0`, constants folded into the bound. */
  const add = (plus: ReadonlyArray<ReturnType<typeof term>>, minus: ReadonlyArray<ReturnType<typeof term>>, relation: '<=' | '=') => {
    const coefficients = new Map<string, number>();
    let bound = 0;
    const take = (entry: ReturnType<typeof term>, sign: number) => {
      if (entry === null) return;
      if ('constant' in entry) bound -= sign * entry.constant;
      else coefficients.set(entry.variable, (coefficients.get(entry.variable) ?? 0) + sign);
    };
    plus.forEach((entry) => take(entry, 1));
    minus.forEach((entry) => take(entry, -1));
    const terms = [...coefficients].filter(([, coefficient]) => coefficient !== 0).map(([variable, coefficient]) => ({ variable, coefficient }));
    if (terms.length > 0) constraints.push({ terms, relation, bound });
  };

  revisions.forEach((revision, index) => {
    const values = valueOf[index]!;
    for (const cell of revision.cells) {
      // A withheld count is above 0 (zeros are published), unless the revision is withheld whole.
      const lower = patterns[index]?.hidesRevision ? 0 : 1;
      if (cell.value !== null && withheld(index, cell.key)) variables.push({ name: cellVariable(index, cell.key), lower, upper: LARGEST_COUNT });
    }
    for (const [part, whole] of revision.atMost) {
      const partValue = values.get(part);
      const wholeValue = values.get(whole);
      if (partValue == null || wholeValue == null || partValue > wholeValue) continue;
      add([term(index, part)], [term(index, whole)], '<=');
    }
    for (const { parts, whole } of revision.sums) {
      const wholeValue = values.get(whole);
      const recorded = parts.filter((part) => values.get(part) != null);
      if (wholeValue == null || recorded.length === 0) continue;
      if (recorded.reduce((sum, part) => sum + values.get(part)!, 0) > wholeValue) continue;
      add(recorded.map((part) => term(index, part)), [term(index, whole)], '<=');
    }
    if (index === 0) return;
    const before = valueOf[index - 1]!;
    for (const [key, value] of values) {
      if (value == null || before.get(key) !== value) continue;
      const earlierPublished = !withheld(index - 1, key);
      if (earlierPublished && withheld(index, key) && !patterns[index]!.assumesPublishedUnchanged) continue;
      add([term(index - 1, key)], [term(index, key)], '=');
    }
  });
  return { variables, constraints };
}

// ---------------------------------------------------------------------------------------------------------------
// The engine: sequential cell suppression with a protection-level audit.

/**
 * The patterns of every revision of a history, oldest first. `decided` are the patterns of its first revisions,
 * computed before (they never change): only the revisions after them are computed.
 */
export async function protectHistory(revisions: readonly TableRevision[], decided: readonly RevisionPattern[] = []): Promise<RevisionPattern[]> {
  const solve = await loadIntegerSolver();
  const patterns = decided.slice(0, revisions.length);
  for (let index = patterns.length; index < revisions.length; index += 1) {
    patterns.push(protectRevision(revisions.slice(0, index + 1), patterns, solve));
  }
  return patterns;
}

interface Violation {
  revision: number;
  cell: TableCell;
  range: IntegerRange;
}

function protectRevision(revisions: readonly TableRevision[], earlier: readonly RevisionPattern[], solve: IntegerSolver): RevisionPattern {
  const index = revisions.length - 1;
  const current = revisions[index]!;
  const previous = index > 0 ? { revision: revisions[index - 1]!, pattern: earlier[index - 1]! } : null;
  const previousValue = new Map(previous?.revision.cells.map((cell) => [cell.key, cell.value]));
  const unchanged = (cell: TableCell) => cell.value !== null && previousValue.get(cell.key) === cell.value;
  const publicAlready = (key: string) => {
    const cell = current.cells.find((candidate) => candidate.key === key);
    return previous !== null && cell !== undefined && unchanged(cell) && !previous.pattern.withheld.has(key);
  };

  const withheld = new Set(current.primary);
  for (const [first, second] of current.primaryEither) withheld.add(publicAlready(first) && !publicAlready(second) ? second : first);
  const linkedToWithheld = current.cells.some((cell) => unchanged(cell) && previous!.pattern.withheld.has(cell.key));
  // Nothing sensitive and nothing tied to a withheld count: the revision adds no constraint on any withheld count.
  if (withheld.size === 0 && !linkedToWithheld) return { withheld, assumesPublishedUnchanged: true, hidesRevision: false };

  let assumesPublishedUnchanged = true;
  const pattern = (): RevisionPattern => ({ withheld: new Set(withheld), assumesPublishedUnchanged, hidesRevision: false });
  const truth = new Map<string, number>();
  revisions.forEach((revision, revisionIndex) => {
    for (const cell of revision.cells) if (cell.value !== null) truth.set(cellVariable(revisionIndex, cell.key), cell.value);
  });
  // Withholding more, or assuming less, only widens a range: a count once protected stays protected.
  const protectedCells = new Set<string>();
  const firstViolation = (): Violation | null => {
    const system = auditSystem(revisions, [...earlier, pattern()]);
    for (let revision = 0; revision <= index; revision += 1) {
      const revisionWithheld = revision === index ? withheld : earlier[revision]!.withheld;
      for (const cell of revisions[revision]!.cells) {
        const variable = cellVariable(revision, cell.key);
        if (!revisionWithheld.has(cell.key) || protectedCells.has(variable)) continue;
        const range = narrowRange(solve, system, variable, truth);
        if (range) return { revision, cell, range };
        protectedCells.add(variable);
      }
    }
    return null;
  };

  for (;;) {
    const violation = firstViolation();
    if (!violation) return pattern();
    const complements =
      cheapestComplements(revisions, earlier, pattern(), violation, 'up', truth, solve) ??
      cheapestComplements(revisions, earlier, pattern(), violation, 'down', truth, solve) ??
      cheapestComplements(revisions, earlier, pattern(), violation, 'both', truth, solve);
    if (complements) {
      complements.forEach((key) => withheld.add(key));
      continue;
    }
    if (assumesPublishedUnchanged) {
      assumesPublishedUnchanged = false;
      continue;
    }
    // Nothing helps within reach of the model: withhold every count of the revision that may be withheld.
    const before = withheld.size;
    for (const cell of current.cells) if (!cell.alwaysPublished && cell.value !== null && cell.value > 0) withheld.add(cell.key);
    if (withheld.size === before) return hiddenRevision(current);
  }
}

/**
 * The revision withheld whole, zeros included (not the counts that are always published), assuming nothing published
 * before is unchanged. It narrows no count: every reading of the earlier revisions extends to it by repeating the
 * revision before (every relation holds there, and counts not above 0 are allowed), and each of its own counts is
 * linked only to an earlier withheld count, whose range was protected, or bounded by 0 and such a count. (An
 * always-published count that grew beyond what a reader allows for the headcount before is the one exception; it
 * would need that headcount withheld in the revision before and unchanged since.) Withholding every count above 0 is
 * not enough: that they are above 0 can narrow an earlier count (seed 763741418 of tests/unit/suppression.test.ts
 * found a unit whose 1 became 1 to 3 through a correction's withheld 3).
 */
function hiddenRevision(revision: TableRevision): RevisionPattern {
  const withheld = new Set(revision.cells.filter((cell) => cell.value !== null && !cell.alwaysPublished).map((cell) => cell.key));
  return { withheld, assumesPublishedUnchanged: false, hidesRevision: true };
}

/**
 * The published counts of the newest revision to withhold with a violated count, as one integer programme after
 * Fischetti and Salazar-González's model for a single sensitive cell: choose counts to withhold (y = 1) such that
 * a table consistent with everything then published puts the violated count at least the protection width away
 * from the other end of its range (`up`: above its least value, `down`: below its greatest), or (`both`) two such
 * tables put it that far apart; at the least cost. A count costs its value (the information lost); a city total
 * costs more than every unit count together, and one of another column more again, so that totals are withheld
 * only where unit counts cannot protect. The tables stay within the protection width of the true one, which keeps
 * the programme small and is enough wherever a count can be protected by moving others a little. Every choice is
 * sufficient, since the tables found are solutions of the audit. Null when no choice protects it so.
 */
function cheapestComplements(
  revisions: readonly TableRevision[],
  earlier: readonly RevisionPattern[],
  pattern: RevisionPattern,
  violation: Violation,
  direction: 'up' | 'down' | 'both',
  truth: ReadonlyMap<string, number>,
  solve: IntegerSolver,
): string[] | null {
  const index = revisions.length - 1;
  const { min, max } = violation.range;
  if (direction === 'down' && max - PROTECTION_WIDTH < 1) return null;
  const candidates = revisions[index]!.cells.filter(
    (cell) => !pattern.withheld.has(cell.key) && !cell.alwaysPublished && cell.value !== null && cell.value > 0,
  );
  const open: RevisionPattern = { ...pattern, withheld: new Set([...pattern.withheld, ...candidates.map((cell) => cell.key)]) };
  const target = cellVariable(violation.revision, violation.cell.key);
  const system = componentOf(auditSystem(revisions, [...earlier, open]), [target]);
  const present = new Set(system.variables.map((entry) => entry.name));
  const inReach = candidates.filter((cell) => present.has(cellVariable(index, cell.key)));
  if (inReach.length === 0) return null;

  const penalty = 1 + inReach.reduce((sum, cell) => sum + cell.value!, 0);
  const cost = (cell: TableCell) => cell.value! + (!cell.total ? 0 : cell.column === violation.cell.column ? penalty : 2 * penalty);
  const tables = direction === 'both' ? ['+', '-'] : ['+'];
  const choose = (variable: string) => `?${variable}`;

  const variables: Array<{ name: string; lower: number; upper: number }> = [];
  const constraints: LinearConstraint[] = [];
  for (const table of tables) {
    for (const { name } of system.variables) {
      const value = truth.get(name)!;
      const bounds = { lower: Math.max(1, value - PROTECTION_WIDTH), upper: value + PROTECTION_WIDTH };
      if (name === target && direction === 'up') bounds.lower = Math.max(bounds.lower, min + PROTECTION_WIDTH);
      if (name === target && direction === 'down') bounds.upper = Math.min(bounds.upper, max - PROTECTION_WIDTH);
      if (bounds.lower > bounds.upper) return null;
      variables.push({ name: `${table}${name}`, ...bounds });
    }
    for (const constraint of system.constraints) {
      constraints.push({ ...constraint, terms: constraint.terms.map((term) => ({ ...term, variable: `${table}${term.variable}` })) });
    }
  }
  for (const cell of inReach) {
    const name = cellVariable(index, cell.key);
    variables.push({ name: choose(name), lower: 0, upper: 1 });
    // Not chosen, the count is published: every table holds its true value.
    for (const table of tables) {
      constraints.push(
        { terms: [{ variable: `${table}${name}`, coefficient: 1 }, { variable: choose(name), coefficient: -PROTECTION_WIDTH }], relation: '<=', bound: cell.value! },
        { terms: [{ variable: `${table}${name}`, coefficient: 1 }, { variable: choose(name), coefficient: PROTECTION_WIDTH }], relation: '>=', bound: cell.value! },
      );
    }
  }
  if (direction === 'both') {
    constraints.push({ terms: [{ variable: `+${target}`, coefficient: 1 }, { variable: `-${target}`, coefficient: -1 }], relation: '>=', bound: PROTECTION_WIDTH });
  }
  const objective = inReach.map((cell) => ({ variable: choose(cellVariable(index, cell.key)), coefficient: cost(cell) }));
  const solution = withLoaded(solve, { variables, constraints }, (loaded) => loaded.optimum('minimize', objective));
  if (!solution) return null;
  const chosen = inReach.filter((cell) => solution.get(choose(cellVariable(index, cell.key))) === 1).map((cell) => cell.key);
  return chosen.length > 0 ? chosen : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Staff figures by unit, with the city's totals.

export const STAFF_COLUMNS = ['headcount', 'respondents', 'withMigrationHistory'] as const;
export type StaffColumn = (typeof STAFF_COLUMNS)[number];

export interface StaffUnitCounts {
  unit: string;
  headcount: number | null;
  respondents: number | null;
  withMigrationHistory: number | null;
}

/** One revision of a year's staff figures: the city's totals and the breakdown by unit (empty when there is none). */
export interface StaffCounts {
  headcount: number | null;
  respondents: number | null;
  withMigrationHistory: number | null;
  withForeignNationality: number | null;
  units: readonly StaffUnitCounts[];
}

export function staffTotalCell(column: StaffColumn): string {
  return `total|${column}`;
}

export function staffUnitCell(unit: string, column: StaffColumn): string {
  return `unit|${unit}|${column}`;
}

const FOREIGN_NATIONALITY_CELL = 'total|withForeignNationality';

const isSmall = (value: number | null): boolean => value !== null && value > 0 && value < MINIMUM_COUNT;

/** A staff revision as a table: unit counts, the city's totals, and what a reader knows relates them. */
export function staffTable(counts: StaffCounts): TableRevision {
  const units = [...counts.units].sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
  const cells: TableCell[] = [];
  const atMost: Array<readonly [string, string]> = [];
  const primary: string[] = [];
  const primaryEither: Array<readonly [string, string]> = [];
  const chain = (value: (column: StaffColumn) => number | null, key: (column: StaffColumn) => string) => {
    atMost.push([key('withMigrationHistory'), key('respondents')], [key('respondents'), key('headcount')]);
    for (const column of STAFF_COLUMNS) if (isSmall(value(column))) primary.push(key(column));
    const migration = value('withMigrationHistory');
    if (migration !== null && migration > 0 && migration === value('respondents')) primaryEither.push([key('withMigrationHistory'), key('respondents')]);
  };
  for (const unit of units) {
    for (const column of STAFF_COLUMNS) cells.push({ key: staffUnitCell(unit.unit, column), value: unit[column], column, total: false });
    chain((column) => unit[column], (column) => staffUnitCell(unit.unit, column));
  }
  for (const column of STAFF_COLUMNS) cells.push({ key: staffTotalCell(column), value: counts[column], column, total: true });
  cells.push({ key: FOREIGN_NATIONALITY_CELL, value: counts.withForeignNationality, column: 'withForeignNationality', total: true, alwaysPublished: true });
  chain((column) => counts[column], staffTotalCell);
  atMost.push([FOREIGN_NATIONALITY_CELL, staffTotalCell('headcount')]);
  const sums = units.length === 0 ? [] : STAFF_COLUMNS.map((column) => ({ parts: units.map((unit) => staffUnitCell(unit.unit, column)), whole: staffTotalCell(column) }));
  return { cells, atMost, sums, primary, primaryEither };
}

/** The withheld counts of every revision of a year's staff figures, oldest first (see `protectHistory`). */
export function protectStaffHistory(history: readonly StaffCounts[], decided: readonly RevisionPattern[] = []): Promise<RevisionPattern[]> {
  return protectHistory(history.map(staffTable), decided);
}

// ---------------------------------------------------------------------------------------------------------------
// Intercultural training per unit: no total across units is published, so each unit's revisions are a table alone.

export const TRAINING_COLUMNS = ['staffInScope', 'completed'] as const;
export type TrainingColumn = (typeof TRAINING_COLUMNS)[number];

/** One revision of a unit's training figures for a year. */
export interface TrainingCounts {
  staffInScope: number | null;
  completed: number | null;
}

export function trainingCell(column: TrainingColumn): string {
  return column;
}

export function trainingTable(counts: TrainingCounts): TableRevision {
  return {
    cells: TRAINING_COLUMNS.map((column) => ({ key: trainingCell(column), value: counts[column], column, total: false })),
    atMost: [[trainingCell('completed'), trainingCell('staffInScope')]],
    sums: [],
    primary: TRAINING_COLUMNS.filter((column) => isSmall(counts[column])).map(trainingCell),
    primaryEither: [],
  };
}

/** The withheld counts of every revision of one unit's training figures for a year, oldest first. */
export function protectTrainingHistory(history: readonly TrainingCounts[], decided: readonly RevisionPattern[] = []): Promise<RevisionPattern[]> {
  return protectHistory(history.map(trainingTable), decided);
}
