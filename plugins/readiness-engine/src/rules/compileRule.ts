import type { CheckOperator } from '../types';
import { CheckDefinitionError } from './errors';
import {
  MessageTemplate,
  compileMessageTemplate,
  describeDocuments,
} from './messages';
import {
  didYouMean,
  errorMessage,
  formatTypedValue,
  formatValue,
  joinNames,
} from './format';
import {
  OperatorRegistry,
  RuleOperator,
  TEST_MISMATCH,
  TEST_PASS,
  TEST_THREW,
  TestResult,
  createOperatorRegistry,
} from './operators';
import {
  PathAccessor,
  PathSegment,
  compileAccessor,
  compileDocumentReader,
  formatFactLabel,
  parseFactReference,
  parsePath,
} from './paths';

/**
 * The facts of one entity: one JSON document per fact collector, by
 * collector id (`deployment`, `sla`, `catalog`, ...).
 *
 * @public
 */
export type RuleFacts = Readonly<Record<string, unknown>>;

/**
 * What a rule is evaluated with, besides the facts.
 *
 * @public
 */
export interface RuleContext {
  /** The evaluation time, in milliseconds since the epoch (for `dateWithin`). */
  now: number;
}

/**
 * Whether a rule holds: `unknown` when it cannot be decided because a fact
 * document it needs is missing (or a custom operator failed).
 *
 * @public
 */
export type RuleVerdict = 'pass' | 'fail' | 'unknown';

/**
 * The outcome of a rule, with the reasons in terms of the facts.
 *
 * @public
 */
export interface RuleOutcome {
  verdict: RuleVerdict;
  /** Whether the verdict is `pass`. */
  passed: boolean;
  /**
   * Why, in terms of the facts: for example
   * `deployment.hpa.maxReplicas is 4; expected ≥ 6` or `deployment.pdb is missing`.
   */
  reasons: string[];
  /** The fact documents the rule refers to that are absent from the facts. */
  missingFacts: string[];
  /**
   * When the rule fails: the `message` of the first condition (in the order
   * of the rule) whose failure made it fail, with the facts filled in. Absent
   * when no such condition has a message.
   */
  message?: string;
}

/**
 * A rule compiled into predicates.
 *
 * @public
 */
export interface CompiledRule {
  /** The check the rule belongs to. */
  readonly checkId: string;
  /** The fact documents the rule refers to, such as `deployment`. */
  readonly factDocuments: ReadonlyArray<string>;
  /** Decides the rule without building reasons; allocation-free. Never throws. */
  test(facts: RuleFacts, context: RuleContext): RuleVerdict;
  /** Decides the rule and explains why. Never throws. */
  evaluate(facts: RuleFacts, context: RuleContext): RuleOutcome;
}

/**
 * Options of {@link compileRule}.
 *
 * @public
 */
export interface CompileRuleOptions {
  /** The id of the check, for error messages. */
  checkId: string;
  /** Custom operators, in addition to the built-in ones. */
  operators?: ReadonlyArray<CheckOperator>;
  /**
   * The fact documents that exist (the fact collector ids). When given, a
   * rule that refers to another document is invalid, and a dotted fact is
   * split at the longest known document name.
   */
  knownFacts?: Iterable<string>;
}

/** What rules are compiled with. */
export interface RuleEnvironment {
  registry: OperatorRegistry;
  knownFacts?: ReadonlySet<string>;
}

const FALSE = 0;
const TRUE = 1;
const UNKNOWN = 2;
type Tri = 0 | 1 | 2;

const VERDICTS: ReadonlyArray<RuleVerdict> = ['fail', 'pass', 'unknown'];
const NOT: ReadonlyArray<Tri> = [TRUE, FALSE, UNKNOWN];

/** The deepest nesting of all/any/not accepted. */
const MAX_DEPTH = 32;

const hasOwn = (value: object, key: string) =>
  Object.prototype.hasOwnProperty.call(value, key);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

interface RuleNode {
  /** What to say when this condition makes the rule fail (its own `message`). */
  message?: MessageTemplate;
  test(facts: RuleFacts, now: number): Tri;
  /**
   * The message of the first condition, this one or below, whose failure
   * makes this one fail; called only when `test` is false. Conditions under
   * `not` are not searched: their messages would say the opposite.
   */
  failMessage(facts: RuleFacts, now: number): MessageTemplate | undefined;
  /**
   * Decides the node and pushes the reasons that matter for that verdict.
   * `negated` is true under an odd number of `not`, so that leaves phrase
   * what was expected of them.
   */
  explain(facts: RuleFacts, now: number, negated: boolean, out: string[]): Tri;
}

/**
 * Keeps, from `out[start..]`, only the reasons of the children whose verdict
 * is `wanted`; child `i` pushed the reasons up to `ends[i]`.
 */
function keepReasonsOf(
  out: string[],
  start: number,
  ends: ReadonlyArray<number>,
  verdicts: ReadonlyArray<Tri>,
  wanted: Tri,
) {
  let write = start;
  let read = start;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i];
    if (verdicts[i] === wanted) {
      while (read < end) {
        out[write++] = out[read++];
      }
    } else {
      read = end;
    }
  }
  out.length = write;
}

class AllNode implements RuleNode {
  message?: MessageTemplate;

  constructor(private readonly children: ReadonlyArray<RuleNode>) {}

  failMessage(facts: RuleFacts, now: number): MessageTemplate | undefined {
    if (this.message) {
      return this.message;
    }
    for (const child of this.children) {
      if (child.test(facts, now) === FALSE) {
        const message = child.failMessage(facts, now);
        if (message) {
          return message;
        }
      }
    }
    return undefined;
  }

  test(facts: RuleFacts, now: number): Tri {
    const children = this.children;
    let unknown = false;
    for (let i = 0; i < children.length; i++) {
      const verdict = children[i].test(facts, now);
      if (verdict === FALSE) {
        return FALSE;
      }
      if (verdict === UNKNOWN) {
        unknown = true;
      }
    }
    return unknown ? UNKNOWN : TRUE;
  }

  explain(facts: RuleFacts, now: number, negated: boolean, out: string[]) {
    // Every child is explained (no short-circuit), so that every failure is
    // listed. Passed: every child tells why. Failed: the failing children.
    // Unknown: the unknown ones.
    const children = this.children;
    const start = out.length;
    const ends: number[] = [];
    const verdicts: Tri[] = [];
    let verdict: Tri = TRUE;
    for (let i = 0; i < children.length; i++) {
      const child = children[i].explain(facts, now, negated, out);
      verdicts.push(child);
      ends.push(out.length);
      if (child === FALSE) {
        verdict = FALSE;
      } else if (child === UNKNOWN && verdict === TRUE) {
        verdict = UNKNOWN;
      }
    }
    if (verdict !== TRUE) {
      keepReasonsOf(out, start, ends, verdicts, verdict);
    }
    return verdict;
  }
}

class AnyNode implements RuleNode {
  message?: MessageTemplate;

  constructor(private readonly children: ReadonlyArray<RuleNode>) {}

  failMessage(facts: RuleFacts, now: number): MessageTemplate | undefined {
    if (this.message) {
      return this.message;
    }
    // Every child failed.
    for (const child of this.children) {
      const message = child.failMessage(facts, now);
      if (message) {
        return message;
      }
    }
    return undefined;
  }

  test(facts: RuleFacts, now: number): Tri {
    const children = this.children;
    let unknown = false;
    for (let i = 0; i < children.length; i++) {
      const verdict = children[i].test(facts, now);
      if (verdict === TRUE) {
        return TRUE;
      }
      if (verdict === UNKNOWN) {
        unknown = true;
      }
    }
    return unknown ? UNKNOWN : FALSE;
  }

  explain(facts: RuleFacts, now: number, negated: boolean, out: string[]) {
    // Passed: the first passing child. Failed: every child. Unknown: the unknown ones.
    const children = this.children;
    const start = out.length;
    const ends: number[] = [];
    const verdicts: Tri[] = [];
    let unknown = false;
    for (let i = 0; i < children.length; i++) {
      const childStart = out.length;
      const child = children[i].explain(facts, now, negated, out);
      if (child === TRUE) {
        out.splice(start, childStart - start);
        return TRUE;
      }
      verdicts.push(child);
      ends.push(out.length);
      if (child === UNKNOWN) {
        unknown = true;
      }
    }
    if (unknown) {
      keepReasonsOf(out, start, ends, verdicts, UNKNOWN);
      return UNKNOWN;
    }
    return FALSE;
  }
}

class NotNode implements RuleNode {
  message?: MessageTemplate;

  constructor(private readonly child: RuleNode) {}

  failMessage(): MessageTemplate | undefined {
    return this.message;
  }

  test(facts: RuleFacts, now: number): Tri {
    return NOT[this.child.test(facts, now)];
  }

  explain(facts: RuleFacts, now: number, negated: boolean, out: string[]) {
    return NOT[this.child.explain(facts, now, !negated, out)];
  }
}

function toTri(result: TestResult): Tri {
  if (result === TEST_PASS) {
    return TRUE;
  }
  return result === TEST_THREW ? UNKNOWN : FALSE;
}

/** What a leaf expects, phrased for reasons, plain and negated. */
interface LeafTexts {
  expected: readonly [string, string];
  held: readonly [string, string];
}

function leafTexts(operator: RuleOperator, operandText: string): LeafTexts {
  return {
    expected: [
      operator.expected(operandText, false),
      operator.expected(operandText, true),
    ],
    held: [operator.held(operandText, false), operator.held(operandText, true)],
  };
}

/** The reason of a leaf, once the operator has been applied. */
function describeLeaf(
  operator: RuleOperator,
  label: string,
  actual: unknown,
  operand: unknown,
  texts: LeafTexts,
  result: TestResult,
  negated: boolean,
  now: number,
): string {
  const polarity = negated ? 1 : 0;
  if (result === TEST_THREW) {
    const why = operator.explainThrow?.(actual, operand) ?? 'it failed';
    return `${label} could not be checked: ${why}`;
  }
  const satisfied = (result === TEST_PASS) !== negated;
  if (operator.sentence) {
    return operator.sentence(label, actual, satisfied);
  }
  if (result === TEST_MISMATCH) {
    if (actual === undefined || actual === null) {
      const shown = formatValue(actual);
      return satisfied
        ? `${label} is ${shown}`
        : `${label} is ${shown}; expected ${texts.expected[polarity]}`;
    }
    return satisfied
      ? `${label} is ${formatTypedValue(actual)}, not ${operator.factType}`
      : `${label} is ${formatTypedValue(actual)}; expected ${
          operator.factType
        } ${texts.expected[polarity]}`;
  }
  const shown =
    actual !== undefined && operator.formatActual
      ? operator.formatActual(actual, now)
      : formatValue(actual);
  return satisfied
    ? `${label} is ${shown} (${texts.held[polarity]})`
    : `${label} is ${shown}; expected ${texts.expected[polarity]}`;
}

function missingDocumentReason(document: string) {
  return `there are no '${document}' facts`;
}

/** A fact reference: a document and an accessor within it. */
interface FactReference {
  document: string;
  readDocument: (facts: RuleFacts) => unknown;
  access: PathAccessor;
  label: string;
}

/** A condition whose operand is a literal, parsed at compile time. */
class LiteralLeaf implements RuleNode {
  message?: MessageTemplate;
  private readonly readDocument: (facts: RuleFacts) => unknown;
  private readonly access: PathAccessor;
  private readonly texts: LeafTexts;

  constructor(
    private readonly fact: FactReference,
    private readonly operator: RuleOperator,
    private readonly operand: unknown,
  ) {
    this.readDocument = fact.readDocument;
    this.access = fact.access;
    this.texts = leafTexts(operator, operator.formatOperand(operand));
  }

  failMessage(): MessageTemplate | undefined {
    return this.message;
  }

  test(facts: RuleFacts, now: number): Tri {
    const document = this.readDocument(facts);
    if (document === undefined || document === null) {
      return UNKNOWN;
    }
    return toTri(this.operator.test(this.access(document), this.operand, now));
  }

  explain(facts: RuleFacts, now: number, negated: boolean, out: string[]) {
    const document = this.readDocument(facts);
    if (document === undefined || document === null) {
      out.push(missingDocumentReason(this.fact.document));
      return UNKNOWN;
    }
    const actual = this.access(document);
    const result = this.operator.test(actual, this.operand, now);
    out.push(
      describeLeaf(
        this.operator,
        this.fact.label,
        actual,
        this.operand,
        this.texts,
        result,
        negated,
        now,
      ),
    );
    return toTri(result);
  }
}

/** A condition whose operand is another fact, parsed at evaluation time. */
class FactOperandLeaf implements RuleNode {
  message?: MessageTemplate;

  constructor(
    private readonly fact: FactReference,
    private readonly operator: RuleOperator,
    private readonly reference: FactReference,
  ) {}

  failMessage(): MessageTemplate | undefined {
    return this.message;
  }

  test(facts: RuleFacts, now: number): Tri {
    const document = this.fact.readDocument(facts);
    const referenced = this.reference.readDocument(facts);
    if (
      document === undefined ||
      document === null ||
      referenced === undefined ||
      referenced === null
    ) {
      return UNKNOWN;
    }
    const raw = this.reference.access(referenced);
    if (raw === undefined) {
      return FALSE;
    }
    const operand = this.operator.parseOperand(raw);
    if (!operand.ok) {
      return FALSE;
    }
    return toTri(
      this.operator.test(this.fact.access(document), operand.value, now),
    );
  }

  explain(facts: RuleFacts, now: number, negated: boolean, out: string[]) {
    const document = this.fact.readDocument(facts);
    const referenced = this.reference.readDocument(facts);
    let missing = false;
    for (const [value, name] of [
      [document, this.fact.document],
      [referenced, this.reference.document],
    ] as const) {
      if (value === undefined || value === null) {
        out.push(missingDocumentReason(name));
        missing = true;
      }
    }
    if (missing) {
      return UNKNOWN;
    }
    const raw = this.reference.access(referenced);
    const { label } = this.fact;
    if (raw === undefined) {
      out.push(
        `${label} cannot be compared: ${this.reference.label} is missing`,
      );
      return FALSE;
    }
    const operand = this.operator.parseOperand(raw);
    if (!operand.ok) {
      out.push(
        `${label} cannot be compared: ${this.reference.label} ${operand.error}`,
      );
      return FALSE;
    }
    const actual = this.fact.access(document);
    const result = this.operator.test(actual, operand.value, now);
    const operandText = `${this.reference.label} (${this.operator.formatOperand(
      operand.value,
    )})`;
    out.push(
      describeLeaf(
        this.operator,
        label,
        actual,
        operand.value,
        leafTexts(this.operator, operandText),
        result,
        negated,
        now,
      ),
    );
    return toTri(result);
  }
}

const COMBINATORS = ['all', 'any', 'not', 'fact'] as const;
const CONDITION_KEYS = [
  'fact',
  'operator',
  'value',
  'path',
  'params',
  'name',
  'priority',
  'message',
];
const FACT_OPERAND_KEYS = ['fact', 'path', 'params'];
const WRAPPER_KEYS = ['conditions', 'name', 'priority'];
const PATH_FORM =
  "a path such as '$.hpa.maxReplicas' or '$.containers[0].image'";
const FACT_FORM =
  "a fact name with an optional path, such as 'deployment.hpa.maxReplicas'";

/** `rule.all[0]` + `key` → `rule.all[0].key`, or `rule.all[0]['odd key']`. */
function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)
    ? `${path}.${key}`
    : `${path}['${key}']`;
}

/** A condition's `message`, compiled once the documents the rule reads are known. */
interface PendingMessage {
  node: RuleNode;
  raw: unknown;
  field: string;
}

class RuleCompiler {
  readonly problems: string[] = [];
  readonly documents = new Set<string>();
  readonly messages: PendingMessage[] = [];

  constructor(private readonly environment: RuleEnvironment) {}

  compileRoot(raw: unknown, path: string): RuleNode | undefined {
    if (raw === undefined) {
      this.problems.push(`${path} is required`);
      return undefined;
    }
    // Tech Insights checks wrap the conditions: `rule: { conditions: { all: [...] } }`.
    if (
      isPlainObject(raw) &&
      hasOwn(raw, 'conditions') &&
      !COMBINATORS.some(key => hasOwn(raw, key))
    ) {
      this.checkKeys(raw, path, WRAPPER_KEYS);
      this.checkNameAndPriority(raw, path);
      return this.compileNode(raw.conditions, `${path}.conditions`, 0, false);
    }
    return this.compileNode(raw, path, 0, false);
  }

  /** Keeps the `message` of a condition for later; never shown under `not`. */
  private recordMessage(
    raw: Record<string, unknown>,
    path: string,
    node: RuleNode,
    negated: boolean,
  ) {
    if (!hasOwn(raw, 'message')) {
      return;
    }
    const field = `${path}.message`;
    if (negated) {
      this.problems.push(
        `${field} is under 'not', where it would never be shown; put it on the 'not' condition`,
      );
      return;
    }
    this.messages.push({ node, raw: raw.message, field });
  }

  private checkKeys(
    raw: Record<string, unknown>,
    path: string,
    allowed: ReadonlyArray<string>,
  ) {
    for (const key of Object.keys(raw)) {
      if (!allowed.includes(key)) {
        this.problems.push(
          `${childPath(path, key)} is not a known key${didYouMean(
            key,
            allowed,
          )}; expected one of ${allowed.join(', ')}`,
        );
      }
    }
  }

  private checkNameAndPriority(raw: Record<string, unknown>, path: string) {
    if (hasOwn(raw, 'name') && typeof raw.name !== 'string') {
      this.problems.push(
        `${path}.name must be a string; got ${formatValue(raw.name)}`,
      );
    }
    if (
      hasOwn(raw, 'priority') &&
      !(typeof raw.priority === 'number' && Number.isFinite(raw.priority))
    ) {
      this.problems.push(
        `${path}.priority must be a number; got ${formatValue(raw.priority)}`,
      );
    }
  }

  private compileNode(
    raw: unknown,
    path: string,
    depth: number,
    negated: boolean,
  ): RuleNode | undefined {
    if (!isPlainObject(raw)) {
      this.problems.push(
        `${path} must be a condition object with all, any, not or fact; got ${formatValue(
          raw,
        )}`,
      );
      return undefined;
    }
    if (depth > MAX_DEPTH) {
      this.problems.push(
        `${path} is nested more than ${MAX_DEPTH} levels deep`,
      );
      return undefined;
    }
    const kinds = COMBINATORS.filter(key => hasOwn(raw, key));
    if (kinds.length > 1) {
      this.problems.push(
        `${path} must have exactly one of all, any, not or fact; got ${joinNames(
          kinds,
        )}`,
      );
      return undefined;
    }
    if (kinds.length === 0) {
      const keys = Object.keys(raw);
      if (hasOwn(raw, 'condition')) {
        this.problems.push(
          `${path}.condition refers to a shared condition, which is not supported; write the condition out instead`,
        );
      } else if (['operator', 'value', 'path'].some(key => hasOwn(raw, key))) {
        this.problems.push(`${path}.fact is required`);
      } else {
        this.problems.push(
          `${path} must have one of all, any, not or fact; got ${
            keys.length === 0 ? 'an empty object' : `keys ${keys.join(', ')}`
          }`,
        );
      }
      return undefined;
    }
    const kind = kinds[0];
    if (kind === 'fact') {
      const leaf = this.compileCondition(raw, path);
      if (leaf) {
        this.recordMessage(raw, path, leaf, negated);
      }
      return leaf;
    }
    this.checkKeys(raw, path, [kind, 'name', 'priority', 'message']);
    this.checkNameAndPriority(raw, path);
    if (kind === 'not') {
      const child = this.compileNode(raw.not, `${path}.not`, depth + 1, true);
      if (!child) {
        return undefined;
      }
      const node = new NotNode(child);
      this.recordMessage(raw, path, node, negated);
      return node;
    }
    const list = raw[kind];
    const listPath = `${path}.${kind}`;
    if (!Array.isArray(list)) {
      this.problems.push(
        `${listPath} must be a list of conditions; got ${formatValue(list)}`,
      );
      return undefined;
    }
    if (list.length === 0) {
      this.problems.push(`${listPath} must not be empty`);
      return undefined;
    }
    const children = list.map((child, index) =>
      this.compileNode(child, `${listPath}[${index}]`, depth + 1, negated),
    );
    if (children.some(child => child === undefined)) {
      return undefined;
    }
    const nodes = children as RuleNode[];
    if (nodes.length === 1 && !hasOwn(raw, 'message')) {
      return nodes[0];
    }
    const node = kind === 'all' ? new AllNode(nodes) : new AnyNode(nodes);
    this.recordMessage(raw, path, node, negated);
    return node;
  }

  /**
   * Compiles the conditions' messages, whose placeholders may read the known
   * fact documents, or (when those are not given) the documents the rule reads.
   */
  compileMessages() {
    if (this.messages.length === 0) {
      return;
    }
    const known = this.environment.knownFacts;
    const documents = known ?? this.documents;
    const label = describeDocuments(documents, known !== undefined);
    for (const { node, raw, field } of this.messages) {
      node.message = compileMessageTemplate(
        raw,
        field,
        documents,
        label,
        this.problems,
      );
    }
  }

  private compileFactReference(
    raw: Record<string, unknown>,
    path: string,
  ): FactReference | undefined {
    const fact = raw.fact;
    let document: string | undefined;
    let segments: PathSegment[] | undefined;
    if (typeof fact !== 'string' || fact.trim() === '') {
      this.problems.push(
        `${path}.fact must be a non-empty string; got ${formatValue(fact)}`,
      );
    } else {
      const known = this.environment.knownFacts;
      const parsed = parseFactReference(fact, known);
      if (parsed.ok) {
        document = parsed.document;
        segments = parsed.segments;
      } else if (parsed.error === 'unknown-document' && known) {
        const name = fact.trim().split(/[.[]/)[0];
        this.problems.push(
          `${path}.fact '${fact}' refers to an unknown fact document '${name}'${didYouMean(
            name,
            known,
          )}; expected one of ${[...known].join(', ')}`,
        );
      } else {
        this.problems.push(
          `${path}.fact '${fact}' is not a valid fact reference: ${parsed.error}; expected ${FACT_FORM}`,
        );
      }
    }
    let pathSegments: PathSegment[] = [];
    if (hasOwn(raw, 'path')) {
      const jsonPath = raw.path;
      if (typeof jsonPath !== 'string') {
        this.problems.push(
          `${path}.path must be a string; got ${formatValue(jsonPath)}`,
        );
        return undefined;
      }
      const parsed = parsePath(jsonPath);
      if (!parsed.ok) {
        this.problems.push(
          `${path}.path '${jsonPath}' is not a supported path: ${parsed.error}; expected ${PATH_FORM}`,
        );
        return undefined;
      }
      pathSegments = parsed.segments;
    }
    if (hasOwn(raw, 'params') && !isPlainObject(raw.params)) {
      this.problems.push(
        `${path}.params must be an object; got ${formatValue(raw.params)}`,
      );
    }
    if (document === undefined || segments === undefined) {
      return undefined;
    }
    const all = [...segments, ...pathSegments];
    this.documents.add(document);
    return {
      document,
      readDocument: compileDocumentReader(document),
      access: compileAccessor(all),
      label: formatFactLabel(document, all),
    };
  }

  private compileCondition(
    raw: Record<string, unknown>,
    path: string,
  ): RuleNode | undefined {
    const problemsBefore = this.problems.length;
    const fact = this.compileFactReference(raw, path);
    const operator = this.resolveOperator(raw, path);
    let operand: unknown;
    let reference: FactReference | undefined;
    if (operator) {
      const value = raw.value;
      const valuePath = `${path}.value`;
      if (!hasOwn(raw, 'value')) {
        if (!operator.operandOptional) {
          this.problems.push(
            `${valuePath} is required for operator '${operator.name}'`,
          );
        } else {
          operand = this.parseOperand(operator, undefined, valuePath);
        }
      } else if (isPlainObject(value) && hasOwn(value, 'fact')) {
        if (!operator.allowsFactOperand) {
          this.problems.push(
            `${valuePath} cannot refer to a fact for operator '${operator.name}'`,
          );
        } else {
          this.checkKeys(value, valuePath, FACT_OPERAND_KEYS);
          reference = this.compileFactReference(value, valuePath);
        }
      } else {
        operand = this.parseOperand(operator, value, valuePath);
      }
    }
    this.checkNameAndPriority(raw, path);
    this.checkKeys(raw, path, CONDITION_KEYS);
    if (this.problems.length > problemsBefore || !fact || !operator) {
      return undefined;
    }
    return reference
      ? new FactOperandLeaf(fact, operator, reference)
      : new LiteralLeaf(fact, operator, operand);
  }

  private resolveOperator(
    raw: Record<string, unknown>,
    path: string,
  ): RuleOperator | undefined {
    const name = raw.operator;
    const registry = this.environment.registry;
    if (!hasOwn(raw, 'operator')) {
      this.problems.push(`${path}.operator is required`);
      return undefined;
    }
    if (typeof name !== 'string') {
      this.problems.push(
        `${path}.operator must be a string; got ${formatValue(name)}`,
      );
      return undefined;
    }
    const operator = registry.get(name);
    if (!operator) {
      this.problems.push(
        `${path}.operator '${name}' is not a known operator${didYouMean(
          name,
          registry.keys(),
        )}; expected one of ${[...registry.keys()].join(', ')}`,
      );
    }
    return operator;
  }

  private parseOperand(operator: RuleOperator, value: unknown, path: string) {
    const parsed = operator.parseOperand(value);
    if (!parsed.ok) {
      this.problems.push(`${path} ${parsed.error}`);
      return undefined;
    }
    return parsed.value;
  }
}

/** The list without repeated reasons; the same list when none repeats (the usual case). */
function withoutDuplicates(reasons: string[]): string[] {
  for (let i = 1; i < reasons.length; i++) {
    if (reasons.lastIndexOf(reasons[i], i - 1) >= 0) {
      return Array.from(new Set(reasons));
    }
  }
  return reasons;
}

function nowOf(context: RuleContext | undefined): number {
  const now = context?.now;
  return typeof now === 'number' && Number.isFinite(now) ? now : Date.now();
}

const NO_FACTS: RuleFacts = Object.freeze({});

function factsOf(facts: RuleFacts | undefined): RuleFacts {
  return facts !== null && typeof facts === 'object' ? facts : NO_FACTS;
}

class CompiledRuleImpl implements CompiledRule {
  readonly factDocuments: ReadonlyArray<string>;
  private readonly readers: ReadonlyArray<(facts: RuleFacts) => unknown>;

  constructor(
    readonly checkId: string,
    private readonly root: RuleNode,
    documents: ReadonlyArray<string>,
    private readonly hasMessages: boolean,
  ) {
    this.factDocuments = Object.freeze([...documents]);
    this.readers = documents.map(compileDocumentReader);
  }

  test(facts: RuleFacts, context: RuleContext): RuleVerdict {
    try {
      return VERDICTS[this.root.test(factsOf(facts), nowOf(context))];
    } catch {
      return 'unknown';
    }
  }

  evaluate(facts: RuleFacts, context: RuleContext): RuleOutcome {
    const safeFacts = factsOf(facts);
    const missingFacts: string[] = [];
    let reasons: string[] = [];
    let verdict: Tri;
    let message: string | undefined;
    try {
      for (let i = 0; i < this.readers.length; i++) {
        const document = this.readers[i](safeFacts);
        if (document === undefined || document === null) {
          missingFacts.push(this.factDocuments[i]);
        }
      }
      const now = nowOf(context);
      verdict = this.root.explain(safeFacts, now, false, reasons);
      if (reasons.length > 1) {
        reasons = withoutDuplicates(reasons);
      }
      if (verdict === FALSE && this.hasMessages) {
        const template = this.root.failMessage(safeFacts, now);
        const text = template?.sentence(safeFacts);
        if (text) {
          message = text;
        }
      }
    } catch (error) {
      // Facts are JSON, so this is not expected; but evaluation never throws.
      verdict = UNKNOWN;
      reasons = [`the rule could not be evaluated: ${errorMessage(error)}`];
    }
    return {
      verdict: VERDICTS[verdict],
      passed: verdict === TRUE,
      reasons,
      missingFacts,
      ...(message !== undefined && { message }),
    };
  }
}

/**
 * Compiles a rule with an operator registry; returns the problems (without
 * the check prefix) instead of throwing.
 */
export function compileRuleWithEnvironment(
  rule: unknown,
  checkId: string,
  environment: RuleEnvironment,
  /** The field the rule is in, the start of the paths in problems. */
  field = 'rule',
): { rule?: CompiledRule; problems: string[] } {
  const compiler = new RuleCompiler(environment);
  const root = compiler.compileRoot(rule, field);
  if (root) {
    compiler.compileMessages();
  }
  if (!root || compiler.problems.length > 0) {
    return { problems: compiler.problems };
  }
  return {
    rule: new CompiledRuleImpl(
      checkId,
      root,
      [...compiler.documents],
      compiler.messages.length > 0,
    ),
    problems: [],
  };
}

/** Builds the environment; throws a {@link CheckDefinitionError} for bad custom operators. */
export function createRuleEnvironment(options: {
  operators?: ReadonlyArray<CheckOperator>;
  knownFacts?: Iterable<string>;
}): RuleEnvironment {
  const { registry, problems } = createOperatorRegistry(options.operators);
  if (problems.length > 0) {
    throw new CheckDefinitionError(problems);
  }
  return {
    registry,
    knownFacts: options.knownFacts ? new Set(options.knownFacts) : undefined,
  };
}

/**
 * Compiles a rule (json-rules-engine conditions: `all`, `any`, `not` and
 * `{ fact, path, operator, value }` leaves) once into predicates.
 *
 * @remarks
 *
 * The structure, paths and operands are validated here: duration,
 * percentage, date, version and regular expression operands are parsed once,
 * and paths become accessor functions. Throws a {@link CheckDefinitionError}
 * listing every problem.
 *
 * @public
 */
export function compileRule(
  rule: unknown,
  options: CompileRuleOptions,
): CompiledRule {
  const environment = createRuleEnvironment(options);
  const result = compileRuleWithEnvironment(rule, options.checkId, environment);
  if (!result.rule) {
    throw new CheckDefinitionError(
      result.problems.map(
        problem => `Invalid readiness check '${options.checkId}': ${problem}`,
      ),
    );
  }
  return result.rule;
}
