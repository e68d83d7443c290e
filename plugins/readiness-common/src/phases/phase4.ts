import { BUILT_IN_CHECK_IDS as CHECKS } from '../types/checks';
import type { PhaseDefinition } from './types';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
    Object.freeze(value);
  }
  return value;
}

/**
 * The built-in Phase 4 "Deployment & Scaling", with the checklists and item
 * texts of the programme: the Phase Completion Checklist (12 items),
 * Pre-Deployment (6), the blue-green Deployment Process (5 ordered steps) and
 * Post-Deployment (6). The object is deeply frozen.
 *
 * @public
 */
export const PHASE_4_DEPLOYMENT_AND_SCALING: PhaseDefinition = deepFreeze({
  id: 'phase-4',
  title: 'Deployment & Scaling',
  description:
    'The final phase focuses on deploying your SaaS application to production, implementing scaling strategies, optimizing performance, and ensuring security and compliance for real-world usage.',
  order: 4,
  applicability: { kinds: ['Component'], types: ['service', 'website'] },
  checklists: [
    {
      id: 'phase-completion',
      title: 'Phase Completion Checklist',
      items: [
        {
          id: 'production-environment-configured',
          text: 'Production environment fully configured',
          kind: 'manual',
          area: 'deployment',
        },
        {
          id: 'load-balancing-auto-scaling',
          text: 'Load balancing and auto-scaling implemented',
          kind: 'both',
          checks: [
            CHECKS.hpaConfigured,
            CHECKS.probesConfigured,
            CHECKS.pdbConfigured,
          ],
          area: 'auto-scaling',
        },
        {
          id: 'ssl-domain-configuration',
          text: 'SSL certificates and domain configuration complete',
          kind: 'both',
          checks: [CHECKS.ingressTls],
          area: 'security',
        },
        {
          id: 'cdn-static-assets',
          text: 'CDN configured for static assets',
          kind: 'manual',
          area: 'cdn',
        },
        {
          id: 'database-optimization-scaling',
          text: 'Database optimization and scaling setup',
          kind: 'manual',
          area: 'performance',
        },
        {
          id: 'monitoring-alerting',
          text: 'Comprehensive monitoring and alerting',
          kind: 'both',
          checks: [CHECKS.sloAlerts],
          area: 'monitoring',
        },
        {
          id: 'security-hardening',
          text: 'Security hardening completed',
          kind: 'both',
          checks: [CHECKS.ingressTls, CHECKS.networkPolicy],
          area: 'security',
        },
        {
          id: 'backup-dr-tested',
          text: 'Backup and disaster recovery tested',
          kind: 'both',
          checks: [CHECKS.drTested, CHECKS.backupMeetsRpo],
          expiresAfter: '365d',
          area: 'disaster-recovery',
          description:
            'Attest with a link to the report of the last disaster recovery test. The attestation expires after a year.',
        },
        {
          id: 'performance-optimization',
          text: 'Performance optimization implemented',
          kind: 'both',
          checks: [CHECKS.resourceRequests],
          area: 'performance',
        },
        {
          id: 'compliance-requirements',
          text: 'Compliance requirements met',
          kind: 'manual',
          area: 'compliance',
        },
        {
          id: 'documentation-runbooks',
          text: 'Documentation and runbooks created',
          kind: 'both',
          checks: [CHECKS.runbookLinked, CHECKS.drPlanLinked],
          area: 'monitoring',
        },
        {
          id: 'team-training',
          text: 'Team training on production operations',
          kind: 'manual',
          area: 'monitoring',
        },
      ],
    },
    {
      id: 'pre-deployment',
      title: 'Pre-Deployment',
      description: 'Environment verification',
      items: [
        {
          id: 'pre-production-environment',
          text: 'Production environment configured',
          kind: 'manual',
          area: 'deployment',
        },
        {
          id: 'pre-ssl-certificates',
          text: 'SSL certificates installed',
          kind: 'both',
          checks: [CHECKS.ingressTls],
          area: 'security',
        },
        {
          id: 'pre-domain-dns',
          text: 'Domain DNS configured',
          kind: 'manual',
          area: 'deployment',
        },
        {
          id: 'pre-database-migrations',
          text: 'Database migrations ready',
          kind: 'manual',
          area: 'deployment',
        },
        {
          id: 'pre-environment-variables',
          text: 'Environment variables set',
          kind: 'manual',
          area: 'deployment',
        },
        {
          id: 'pre-security-groups',
          text: 'Security groups configured',
          kind: 'both',
          checks: [CHECKS.networkPolicy],
          area: 'security',
        },
      ],
    },
    {
      id: 'deployment-process',
      title: 'Deployment Process',
      description: 'Blue-Green deployment example',
      ordered: true,
      items: [
        {
          id: 'deploy-to-green',
          text: 'Deploy new version to green environment',
          kind: 'manual',
          ordered: 1,
          area: 'deployment',
        },
        {
          id: 'run-health-checks-smoke-tests',
          text: 'Run health checks and smoke tests',
          kind: 'manual',
          ordered: 2,
          area: 'deployment',
        },
        {
          id: 'switch-load-balancer-to-green',
          text: 'Switch load balancer to green',
          kind: 'manual',
          ordered: 3,
          area: 'load-balancing',
        },
        {
          id: 'monitor-metrics-error-rates',
          text: 'Monitor metrics and error rates',
          kind: 'manual',
          ordered: 4,
          area: 'monitoring',
        },
        {
          id: 'keep-blue-for-rollback',
          text: 'Keep blue environment for quick rollback',
          kind: 'manual',
          ordered: 5,
          area: 'deployment',
        },
      ],
    },
    {
      id: 'post-deployment',
      title: 'Post-Deployment',
      description: 'Monitoring and validation',
      items: [
        {
          id: 'post-health-checks-passing',
          text: 'Application health checks passing',
          kind: 'both',
          checks: [CHECKS.probesConfigured],
          area: 'load-balancing',
        },
        {
          id: 'post-performance-within-sla',
          text: 'Performance metrics within SLA',
          kind: 'both',
          checks: [CHECKS.slaDefined],
          area: 'sla',
        },
        {
          id: 'post-error-rates-below-threshold',
          text: 'Error rates below threshold',
          kind: 'manual',
          area: 'sla',
        },
        {
          id: 'post-log-aggregation',
          text: 'Log aggregation working',
          kind: 'manual',
          area: 'monitoring',
        },
        {
          id: 'post-backups-verified',
          text: 'Backup processes verified',
          kind: 'both',
          checks: [CHECKS.backupMeetsRpo],
          area: 'disaster-recovery',
        },
        {
          id: 'post-security-scans',
          text: 'Security scans completed',
          kind: 'manual',
          area: 'security',
        },
      ],
    },
  ],
});

/**
 * The phases built into the suite.
 *
 * @public
 */
export const BUILT_IN_PHASES: ReadonlyArray<PhaseDefinition> = [
  PHASE_4_DEPLOYMENT_AND_SCALING,
];
