/**
 * The built-in "Production readiness" scorecard.
 */
export {
  BUILT_IN_CHECKS,
  BUILT_IN_CHECKS_YAML,
  BUILT_IN_SCORECARD_ID,
  OPTIONAL_FACT_DOCUMENTS,
} from './checks';
