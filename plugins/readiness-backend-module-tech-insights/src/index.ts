/**
 * The Tech Insights bridge of Production Readiness for Backstage: a readiness
 * backend module whose fact collector, `techInsights`, reads the facts Tech
 * Insights has already collected, so that its jsonfc checks (converted with
 * `fromTechInsightsCheck` of `@prodready/plugin-readiness-engine`) run in the
 * readiness engine.
 *
 * @packageDocumentation
 */
export { readinessModuleTechInsights as default } from './module';
export {
  createTechInsightsFactCollector,
  TECH_INSIGHTS_COLLECTOR_ID,
} from './collector';
export type { TechInsightsFactCollectorOptions } from './collector';
export type { TechInsightsBridgeSettings } from './config';
