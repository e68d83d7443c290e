export type { ParseResult, ParserOptions } from './types';
export { parseDuration, formatDuration } from './duration';
export type { ParseDurationOptions } from './duration';
export { parsePercentage } from './percentage';
export type { ParsePercentageOptions } from './percentage';
export { parseIsoDate } from './isoDate';
export type { IsoDate, ParseIsoDateOptions } from './isoDate';
export { parseCron, cronMatches, nextCronRun } from './cron';
export type { CronSchedule } from './cron';
export { parseEntityRef } from './entityRef';
export type { ParseEntityRefOptions } from './entityRef';
export { parseHttpUrl } from './httpUrl';
export { parseRelativePathOrUrl } from './relativePathOrUrl';
export { parseTier, isReadinessTier, READINESS_TIERS } from './tier';
export type { ReadinessTier } from './tier';
export { parsePositiveNumber } from './positiveNumber';
export {
  parsePrometheusSelector,
  parsePrometheusEndpointName,
  promqlString,
  unknownPrometheusEndpointMessage,
  PROMETHEUS_SELECTOR_FORM,
  PROMETHEUS_ENDPOINT_NAME_FORM,
} from './prometheusSelector';
export type {
  PrometheusLabelMatcher,
  PrometheusSelector,
} from './prometheusSelector';
