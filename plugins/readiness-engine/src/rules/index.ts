export { compileRule } from './compileRule';
export type {
  CompiledRule,
  CompileRuleOptions,
  RuleContext,
  RuleFacts,
  RuleOutcome,
  RuleVerdict,
} from './compileRule';
export {
  compileCheck,
  compileChecks,
  FAILURE_STATUS_BY_SEVERITY,
} from './compileCheck';
export type {
  CheckEvaluation,
  CompileCheckOptions,
  CompiledCheck,
} from './compileCheck';
export { CheckDefinitionError } from './errors';
export { formatValue } from './format';
export { BUILT_IN_OPERATOR_NAMES } from './operators';
