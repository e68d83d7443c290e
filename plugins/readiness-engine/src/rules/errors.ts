/**
 * Thrown when readiness check definitions (or their rules, or custom
 * operators) are invalid. The message lists every problem; each problem names
 * the check and the field, for example
 * `Invalid readiness check 'hpa-max-replicas': rule.all[1].operator 'greaterThen' is not a known operator; expected one of equal, notEqual, ...`.
 *
 * @public
 */
export class CheckDefinitionError extends Error {
  /** Every problem found, one sentence each. */
  readonly problems: ReadonlyArray<string>;

  constructor(problems: ReadonlyArray<string>) {
    super(
      problems.length === 1
        ? problems[0]
        : `Found ${problems.length} problems in readiness checks:\n${problems
            .map(problem => `- ${problem}`)
            .join('\n')}`,
    );
    this.name = 'CheckDefinitionError';
    this.problems = problems;
  }
}
