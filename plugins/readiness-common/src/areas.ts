/**
 * The ids of the readiness areas.
 *
 * @public
 */
export const READINESS_AREA_IDS = [
  'deployment',
  'load-balancing',
  'auto-scaling',
  'performance',
  'cdn',
  'security',
  'compliance',
  'disaster-recovery',
  'sla',
  'monitoring',
] as const;

/**
 * The id of a readiness area.
 *
 * @public
 */
export type ReadinessAreaId = (typeof READINESS_AREA_IDS)[number];

/**
 * A readiness area: one topic of the Phase 4 "Deployment & Scaling"
 * programme that checks and checklist items belong to.
 *
 * @public
 */
export interface ReadinessArea {
  /** Stable id, such as `disaster-recovery`. */
  id: ReadinessAreaId;
  /** Display title. */
  title: string;
  /** What the area covers. */
  description: string;
  /** The heading of the seed programme the area comes from. */
  seedSection: string;
}

/**
 * The readiness areas of the seed programme, in display order.
 *
 * @public
 */
export const READINESS_AREAS: ReadonlyArray<ReadinessArea> = [
  {
    id: 'deployment',
    title: 'Production Deployment',
    description:
      'Production environment, pre- and post-deployment verification, and blue-green rollout with quick rollback.',
    seedSection: 'Production Deployment Checklist',
  },
  {
    id: 'load-balancing',
    title: 'Load Balancing & Health Checks',
    description:
      'Load balancers and traffic routing, health checks, circuit breakers, graceful degradation and automatic failover.',
    seedSection: 'Load Balancing & Traffic Management',
  },
  {
    id: 'auto-scaling',
    title: 'Auto-Scaling',
    description:
      'Horizontal and vertical scaling on CPU, memory, request rate, response time or custom metrics, with cooldowns and replica bounds.',
    seedSection: 'Auto-Scaling Strategies',
  },
  {
    id: 'performance',
    title: 'Performance Optimization',
    description:
      'Application and database performance: query optimization, connection pooling, read replicas and caching layers.',
    seedSection: 'Performance Optimization',
  },
  {
    id: 'cdn',
    title: 'CDN & Compression',
    description:
      'Content delivery networks for static assets, cache control headers, image optimization, minification and Gzip/Brotli compression.',
    seedSection: 'Content Delivery Networks (CDN)',
  },
  {
    id: 'security',
    title: 'Security',
    description:
      'HTTPS/TLS enforcement, web application firewall, DDoS protection, API rate limiting, encryption at rest and in transit, and key management.',
    seedSection: 'Security & Compliance',
  },
  {
    id: 'compliance',
    title: 'Compliance',
    description:
      'Compliance frameworks such as SOC 2 Type II, GDPR, HIPAA and PCI DSS, and data masking of sensitive information.',
    seedSection: 'Compliance Frameworks',
  },
  {
    id: 'disaster-recovery',
    title: 'Disaster Recovery & Backup',
    description:
      'Backups, cross-region replication, recovery time and point objectives (RTO/RPO), failover procedures and regular disaster recovery testing.',
    seedSection: 'Disaster Recovery & Backup',
  },
  {
    id: 'sla',
    title: 'SLAs & Performance Targets',
    description:
      'Service level targets: response time, availability, throughput with a buffer over the expected peak, and error rate.',
    seedSection: 'Scaling Metrics & SLAs',
  },
  {
    id: 'monitoring',
    title: 'Monitoring & Alerting',
    description:
      'Comprehensive monitoring and alerting, log aggregation, runbooks, and operational excellence.',
    seedSection: 'Production Excellence',
  },
];

/**
 * Whether a value is the id of a readiness area.
 *
 * @public
 */
export function isReadinessAreaId(value: unknown): value is ReadinessAreaId {
  return (
    typeof value === 'string' &&
    (READINESS_AREA_IDS as readonly string[]).includes(value)
  );
}

/**
 * Returns a readiness area by id, or `undefined` if there is none.
 *
 * @public
 */
export function getReadinessArea(id: string): ReadinessArea | undefined {
  return READINESS_AREAS.find(area => area.id === id);
}
