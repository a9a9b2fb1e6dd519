import { renameSync, writeFileSync } from 'node:fs';

/** What a step that failed leaves in the results file instead of its figures. */
export interface StepFailure {
  error: string;
  /** When it failed (ISO time). */
  at: string;
}

export type JsonReplacer = (key: string, value: unknown) => unknown;

/**
 * A benchmark's results file, written anew after every step: a step that fails later, or a run stopped half-way,
 * leaves what the steps before it measured on disk. A step that fails is recorded with its error under `failures`
 * (by the step's name), and the benchmark goes on with the next step where that makes sense. Each write replaces
 * the file whole (written beside it, then renamed), so a reader never finds half a file.
 */
export class IncrementalResults {
  private readonly content: Record<string, unknown> & { failures: Record<string, StepFailure> };

  constructor(
    readonly file: string,
    header: Record<string, unknown>,
    private readonly replacer?: JsonReplacer,
    private readonly report: (line: string) => void = (line) => console.error(line),
  ) {
    this.content = { ...header, failures: {} };
    this.write();
  }

  /** Sets `key` to `value` (what a step measured, or anything the run learns) and writes the file. */
  record(key: string, value: unknown): void {
    this.content[key] = value;
    this.write();
  }

  /**
   * Runs one step. Its figures are returned for the caller to record and print; if it fails, its error is recorded
   * under `failures[step]`, the file is written, the error is printed, and the result is undefined.
   */
  async run<T>(step: string, measure: () => Promise<T>): Promise<T | undefined> {
    try {
      return await measure();
    } catch (error) {
      this.fail(step, error);
      return undefined;
    }
  }

  /** Runs one step whose figures go under `key`: recorded and written, then printed with `print`, as soon as it ends. */
  async step<T>(key: string, measure: () => Promise<T>, print?: (figures: T) => void): Promise<T | undefined> {
    const figures = await this.run(key, measure);
    if (figures === undefined) return undefined;
    this.record(key, figures);
    print?.(figures);
    return figures;
  }

  /** Records that `step` failed with `error`, and writes the file. */
  fail(step: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.content.failures[step] = { error: message, at: new Date().toISOString() };
    this.write();
    this.report(`  ${step} failed: ${message}`);
  }

  /** The steps that failed so far, in the order they failed. */
  get failedSteps(): string[] {
    return Object.keys(this.content.failures);
  }

  private write(): void {
    const beside = `${this.file}.writing`;
    writeFileSync(beside, `${JSON.stringify(this.content, this.replacer, 2)}\n`);
    renameSync(beside, this.file);
  }
}
