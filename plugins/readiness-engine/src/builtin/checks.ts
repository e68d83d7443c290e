import { parse } from 'yaml';
import {
  CheckDefinition,
  OBSERVED_SERVICE_LEVELS_FACT_ID,
} from '@prodready/plugin-readiness-common';

/**
 * The built-in "Production readiness" scorecard: one check set covering every
 * area of the Phase 4 "Deployment & Scaling" seed, with its SLA targets
 * (99.9% availability, p95 under 200 ms for API calls, under 0.1% 5xx) and scaling
 * thresholds (CPU 70%, memory 80%, scale-up 300 s, scale-down 600 s, 2..50
 * replicas, peak + 50% buffer).
 *
 * The checks read three fact documents:
 *
 * - `entity`: the catalog entity (kind, type, lifecycle, tier, tags,
 *   relations, API providers, compliance tags, cache hint);
 * - `serviceLevels`: the effective SLA and DR data (annotations, then the
 *   referenced SLA / DR plan entities, then the seed defaults);
 * - `deployment`: the Kubernetes manifests or Helm values of the service
 *   (HPA, PDB, probes, resources, Ingress, NetworkPolicy, rollout), the
 *   per-pod capacity and the monitoring objects.
 *
 * Levels: **bronze** is what every production service needs declared and
 * deployed (tier, SLA, runbook, DR plan and objectives, manifests, probes,
 * requests and limits); **silver** is production-grade operation with the
 * seed's thresholds (HPA bounds, targets, cooldowns and capacity, disruption
 * budget, TLS, network policy, backups, SLA within the seed targets);
 * **gold** is excellence: SLO alerts as code, DR tested on schedule, backups
 * that meet the RPO, zone spread, compliance tags, and the hardening and
 * delivery extras (warnings, which never block a level).
 *
 * What the facts cannot show is left out rather than guessed: connection
 * pooling, encryption at rest and key management, DDoS protection. Caching
 * is a heuristic (a cache tag, or a dependency named like a cache).
 *
 * @remarks
 *
 * Written as YAML, in the same form as checks from app-config or files, so
 * that they can be copied and adapted.
 *
 * @public
 */
export const BUILT_IN_CHECKS_YAML: string = `
# ---------------------------------------------------------------------------
# SLAs & performance targets
# ---------------------------------------------------------------------------
- id: sla-defined
  title: SLA targets are declared
  description: >-
    The availability, p95 latency and error-rate targets come from the entity's
    prodready.dev annotations or from the SLA it references, not from the seed defaults.
  area: sla
  level: bronze
  applicability:
    kinds: [Component]
    types: [service, website]
  severity: error
  rule:
    all:
      - { fact: serviceLevels, path: $.availabilitySource, operator: notEqual, value: default }
      - { fact: serviceLevels, path: $.latencyP95Source, operator: notEqual, value: default }
      - { fact: serviceLevels, path: $.errorRateSource, operator: notEqual, value: default }
  messages:
    pass: >-
      SLA targets: availability {serviceLevels.availabilityPercent}%, p95 latency
      {serviceLevels.latencyP95Ms} ms, error rate {serviceLevels.errorRatePercent}%
    fail: >-
      These SLA targets fall back to the seed defaults: {serviceLevels.defaultedTargets}.
      Declare them, or reference an SLA
  remediation: |
    Reference a shared SLA, or set the targets inline (inline values override the SLA):

    metadata:
      annotations:
        prodready.dev/sla-ref: resource:default/sla-standard
        # or inline:
        prodready.dev/availability: '99.9'
        prodready.dev/latency-p95: 200ms
        prodready.dev/error-rate: '0.1%'
  docsUrl: https://sre.google/sre-book/service-level-objectives/

- id: service-levels-valid
  title: Readiness annotations and plans are valid
  description: >-
    Every prodready.dev annotation parses, and the referenced SLA and DR plan exist and are
    Resources of the right type. A bad value is ignored by the engine, so it must be fixed.
  area: sla
  level: bronze
  applicability:
    kinds: [Component]
    types: [service, website]
  severity: error
  rule:
    all:
      - fact: serviceLevels
        path: $.errorAnnotations
        operator: equal
        value: []
        message: >-
          Invalid readiness annotations are ignored:
          {#serviceLevels.errorMessages}{.}{/serviceLevels.errorMessages}
      - fact: serviceLevels
        path: $.findings
        operator: doesNotContain
        value: referenced-plan-missing
        message: >-
          A plan the entity references is not in the catalog:{#serviceLevels.slaRef}{^serviceLevels.slaResolved}
          SLA {.}.{/serviceLevels.slaResolved}{/serviceLevels.slaRef}{#serviceLevels.drPlanRef}{^serviceLevels.drPlanResolved}
          DR plan {.}.{/serviceLevels.drPlanResolved}{/serviceLevels.drPlanRef}
      - fact: serviceLevels
        path: $.findings
        operator: doesNotContain
        value: referenced-plan-invalid
        message: >-
          A plan the entity references is not a Resource of the right type, or has invalid
          values (sla-ref {serviceLevels.slaRef|not set}, dr-plan-ref {serviceLevels.drPlanRef|not set})
  messages:
    pass: Every readiness annotation parses, and the plans it references exist
  remediation: |
    Fix the values named in the message (and shown as catalog processing errors on the entity page):
    durations such as '4h', percentages from 0 to 100, five-field cron expressions, real dates
    (YYYY-MM-DD), http(s) URLs, tiers tier-1..tier-4. sla-ref and dr-plan-ref must name existing
    Resources of spec.type service-level-agreement / disaster-recovery-plan:

    prodready.dev/dr-plan-ref: resource:default/dr-plan-standard
  docsUrl: https://backstage.io/docs/features/software-catalog/descriptor-format/#annotations-optional

- id: tier-declared
  title: Service tier is declared
  description: The prodready.dev/tier annotation says how critical the service is (tier-1 to tier-4).
  area: sla
  level: bronze
  applicability:
    kinds: [Component]
    types: [service, website]
  severity: error
  rule: { fact: entity, path: $.tier, operator: exists }
  messages:
    pass: Tier {entity.tier}
    fail: No valid tier is declared (prodready.dev/tier, tier-1 to tier-4)
  remediation: |
    metadata:
      annotations:
        prodready.dev/tier: tier-2   # tier-1 (most critical) .. tier-4
  docsUrl: https://sre.google/workbook/implementing-slos/

- id: sla-meets-seed-targets
  title: SLA targets meet the seed's performance targets
  description: >-
    Availability at least 99.9% (8.77 hours of downtime a year), under 0.1% of requests answered
    with 5xx, and, for services that provide an API, a p95 response time of at most 200 ms.
  area: sla
  level: silver
  applicability:
    kinds: [Component]
    types: [service, website]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: serviceLevels
        path: $.availabilityPercent
        operator: percentageAtLeast
        value: '99.9%'
        message: >-
          The availability target of {serviceLevels.availabilityPercent}% is below the
          seed's 99.9%
      - fact: serviceLevels
        path: $.errorRatePercent
        operator: percentageAtMost
        value: '0.1%'
        message: >-
          The error-rate budget of {serviceLevels.errorRatePercent}% is above the seed's 0.1%
      - any:
          - { fact: entity, path: $.providesApiCount, operator: equal, value: 0 }
          - { fact: serviceLevels, path: $.latencyP95Ms, operator: durationAtMost, value: 200ms }
        message: >-
          The p95 latency target of {serviceLevels.latencyP95Ms} ms is above the seed's
          200 ms for API calls, and the service provides {entity.providesApiCount} API(s)
  messages:
    pass: >-
      Availability {serviceLevels.availabilityPercent}%, error rate
      {serviceLevels.errorRatePercent}% and p95 latency {serviceLevels.latencyP95Ms} ms
      meet the seed's targets
  remediation: |
    Commit to the seed's targets (or reference an SLA that does), and scale the service to meet them:

    prodready.dev/availability: '99.9'
    prodready.dev/error-rate: '0.1%'
    prodready.dev/latency-p95: 200ms   # for API calls
  docsUrl: https://sre.google/sre-book/service-level-objectives/

# ---------------------------------------------------------------------------
# Observed service levels: what the service delivers (Prometheus), next to
# what it declares. The facts come from the Prometheus module's collector;
# where no Prometheus is configured these checks do not apply.
# ---------------------------------------------------------------------------
- id: request-metrics-emitted
  title: Request metrics reach Prometheus
  description: >-
    Prometheus holds the service's request metrics (http_requests_total, by default selected by
    job="<name>") from the last 24 hours, so that its delivered service levels can be measured.
  area: monitoring
  level: silver
  applicability:
    kinds: [Component]
    types: [service, website]
    lifecycles: [production]
  appliesWhen: { fact: observedServiceLevels, path: $.status, operator: exists }
  severity: error
  rule: { fact: observedServiceLevels, path: $.emittedLast24h, operator: equal, value: true }
  messages:
    pass: >-
      Prometheus ({observedServiceLevels.endpoint}) has request metrics for
      {observedServiceLevels.selector} from the last 24 h
    fail: >-
      Prometheus ({observedServiceLevels.endpoint}) has no request metrics for
      {observedServiceLevels.selector} from the last 24 h: is the service scraped, and does it
      export http_requests_total?
    notApplicable: >-
      No Prometheus is configured for this service (readiness.prometheus), so its metrics cannot be
      looked for
  remediation: |
    Export request metrics (http_requests_total with a code label, and the
    http_request_duration_seconds histogram) and have Prometheus scrape them:
    a ServiceMonitor whose job label is the service's name. If the metrics carry
    other labels, say which on the entity:

    metadata:
      annotations:
        prodready.dev/prometheus-selector: 'service="my-service",namespace="shop"'
  docsUrl: https://prometheus.io/docs/practices/instrumentation/

- id: observed-availability
  title: Observed availability meets the target
  description: >-
    The share of requests not answered with a 5xx over the window (28 days by default) is at least
    the declared availability target (or the seed's 99.9%).
  area: sla
  level: silver
  applicability:
    kinds: [Component]
    types: [service, website]
    lifecycles: [production]
  appliesWhen:
    all:
      - { fact: observedServiceLevels, path: $.status, operator: equal, value: ok }
      - { fact: observedServiceLevels, path: $.availabilityPercent, operator: exists }
  severity: error
  rule:
    fact: observedServiceLevels
    path: $.availabilityPercent
    operator: greaterThanInclusive
    value: { fact: observedServiceLevels, path: $.targets.availabilityPercent }
  messages:
    pass: >-
      Observed {observedServiceLevels.availabilityPercent}% over {observedServiceLevels.windowText},
      target {observedServiceLevels.targets.availabilityPercent}%:
      {observedServiceLevels.errorBudget.usedText} of downtime against a budget of
      {observedServiceLevels.errorBudget.allowedText}
    fail: >-
      Observed {observedServiceLevels.availabilityPercent}% over {observedServiceLevels.windowText},
      target {observedServiceLevels.targets.availabilityPercent}%:
      {observedServiceLevels.errorBudget.usedText} of downtime against a budget of
      {observedServiceLevels.errorBudget.allowedText}
    # The same reason for every observed check (a YAML anchor).
    notApplicable: &observedNotApplicable >-
      {^observedServiceLevels}No Prometheus is configured for this service (readiness.prometheus), so
      what it delivers is not known{/observedServiceLevels}{#observedServiceLevels.status}Prometheus
      ({observedServiceLevels.endpoint}) has no request metrics for
      {observedServiceLevels.selector} over {observedServiceLevels.windowText}{/observedServiceLevels.status}
  remediation: |
    Find what the 5xx responses are (by route and code), fix their causes, and
    protect the service from what it cannot serve: readiness probes, a PodDisruptionBudget,
    autoscaling with room for the peak, timeouts and retries with backoff on its
    dependencies. If the target is wrong, change what the service declares:

    prodready.dev/availability: '99.5'
  docsUrl: https://sre.google/workbook/implementing-slos/

- id: observed-latency-p95
  title: Observed p95 latency meets the target
  description: >-
    The 95th percentile response time over the window, from the http_request_duration_seconds
    histogram, is at most the declared target (or the seed's 200 ms).
  area: performance
  level: silver
  applicability:
    kinds: [Component]
    types: [service, website]
    lifecycles: [production]
  appliesWhen:
    all:
      - fact: observedServiceLevels
        path: $.status
        operator: equal
        value: ok
        message: >-
          Prometheus ({observedServiceLevels.endpoint}) has no request metrics for
          {observedServiceLevels.selector} over {observedServiceLevels.windowText}
      - fact: observedServiceLevels
        path: $.latencyP95Ms
        operator: exists
        message: >-
          Prometheus has requests for {observedServiceLevels.selector} but no
          http_request_duration_seconds histogram, so the p95 latency is not known
  severity: error
  rule:
    fact: observedServiceLevels
    path: $.latencyP95Ms
    operator: lessThanInclusive
    value: { fact: observedServiceLevels, path: $.targets.latencyP95Ms }
  messages:
    pass: >-
      Observed p95 {observedServiceLevels.latencyP95Ms} ms over {observedServiceLevels.windowText}
      (p99 {observedServiceLevels.latencyP99Ms|unknown} ms), target
      {observedServiceLevels.targets.latencyP95Ms} ms
    fail: >-
      Observed p95 {observedServiceLevels.latencyP95Ms} ms over {observedServiceLevels.windowText}
      (p99 {observedServiceLevels.latencyP99Ms|unknown} ms), above the target of
      {observedServiceLevels.targets.latencyP95Ms} ms
    notApplicable: *observedNotApplicable
  remediation: |
    Profile the slowest routes, cache what can be cached, add indexes or
    connection pooling for slow queries, and check that autoscaling keeps CPU
    below its target at the peak. If the target is wrong, change it:

    prodready.dev/latency-p95: 300ms
  docsUrl: https://sre.google/sre-book/monitoring-distributed-systems/

- id: observed-error-rate
  title: Observed 5xx rate is within the budget
  description: >-
    The share of requests answered with a 5xx over the window is at most the declared error-rate
    budget (or the seed's 0.1%).
  area: performance
  level: silver
  applicability:
    kinds: [Component]
    types: [service, website]
    lifecycles: [production]
  appliesWhen:
    all:
      - { fact: observedServiceLevels, path: $.status, operator: equal, value: ok }
      - { fact: observedServiceLevels, path: $.errorRatePercent, operator: exists }
  severity: error
  rule:
    fact: observedServiceLevels
    path: $.errorRatePercent
    operator: lessThanInclusive
    value: { fact: observedServiceLevels, path: $.targets.errorRatePercent }
  messages:
    pass: >-
      Observed 5xx rate {observedServiceLevels.errorRatePercent}% over
      {observedServiceLevels.windowText}, budget {observedServiceLevels.targets.errorRatePercent}%
    fail: >-
      Observed 5xx rate {observedServiceLevels.errorRatePercent}% over
      {observedServiceLevels.windowText}, above the budget of
      {observedServiceLevels.targets.errorRatePercent}%
    notApplicable: *observedNotApplicable
  remediation: |
    Break the 5xx responses down by route and code
    (sum by (route, code) (rate(http_requests_total{code=~"5.."}[1h]))), fix
    the causes, and make failures of dependencies degrade gracefully instead
    of answering 5xx. If the budget is wrong, change it:

    prodready.dev/error-rate: '0.5%'
  docsUrl: https://sre.google/workbook/implementing-slos/

- id: error-budget-healthy
  title: Error budget is not exhausted nor burning fast
  description: >-
    Some of the availability error budget of the window is left, and it is not being burnt at a
    paging rate right now (14.4× over 1 h or 6× over 6 h, the multiwindow thresholds of the SRE
    workbook).
  area: sla
  level: gold
  applicability:
    kinds: [Component]
    types: [service, website]
    lifecycles: [production]
  appliesWhen:
    all:
      - { fact: observedServiceLevels, path: $.status, operator: equal, value: ok }
      - { fact: observedServiceLevels, path: $.errorBudget, operator: exists }
  severity: warning
  rule:
    all:
      - fact: observedServiceLevels
        path: $.errorBudget.exhausted
        operator: equal
        value: false
        message: >-
          The error budget of {observedServiceLevels.windowText} is exhausted:
          {observedServiceLevels.errorBudget.consumedPercent}% used
          ({observedServiceLevels.errorBudget.usedText} of downtime against
          {observedServiceLevels.errorBudget.allowedText})
      - any:
          - { fact: observedServiceLevels, path: $.burnRate.oneHour, operator: notExists }
          - { fact: observedServiceLevels, path: $.burnRate.oneHour, operator: lessThan, value: 14.4 }
        message: >-
          The error budget burns {observedServiceLevels.burnRate.oneHour}× too fast over the last
          hour (14.4× pages): at this rate the budget of {observedServiceLevels.windowText} lasts
          under two days
      - any:
          - { fact: observedServiceLevels, path: $.burnRate.sixHours, operator: notExists }
          - { fact: observedServiceLevels, path: $.burnRate.sixHours, operator: lessThan, value: 6 }
        message: >-
          The error budget burns {observedServiceLevels.burnRate.sixHours}× too fast over the last
          6 hours (6× pages): at this rate the budget of {observedServiceLevels.windowText} lasts
          under five days
  messages:
    pass: >-
      {observedServiceLevels.errorBudget.remainingPercent}% of the error budget of
      {observedServiceLevels.windowText} is left; burn rate
      {observedServiceLevels.burnRate.oneHour|unknown}× over 1 h and
      {observedServiceLevels.burnRate.sixHours|unknown}× over 6 h
    notApplicable: *observedNotApplicable
  remediation: |
    Stop risky changes while the budget is spent (freeze deployments but
    fixes), roll back the change that started the burn, and alert on the burn
    rate so that it pages before the budget is gone: the scaffolder's
    PrometheusRule has the 14.4× / 6× multiwindow alerts.
  docsUrl: https://sre.google/workbook/alerting-on-slos/

# ---------------------------------------------------------------------------
# Production deployment
# ---------------------------------------------------------------------------
- id: deployment-manifests-found
  title: Deployment manifests are found
  description: >-
    The Kubernetes manifests (or Helm values) of the service are found through
    prodready.dev/deployment-path or the conventional folders of its source location, and
    they contain its Deployment, StatefulSet or Rollout.
  area: deployment
  level: bronze
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule: { fact: deployment, path: $.mainWorkload, operator: exists }
  messages:
    pass: >-
      {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` found in {deployment.mainWorkload.path}
    fail: >-
      No Deployment, StatefulSet or Rollout found{#deployment.location.target} in
      {.}{/deployment.location.target}{^deployment.location.target}: {deployment.location.reason}{/deployment.location.target}
  remediation: |
    Point the entity at its manifests, relative to catalog-info.yaml (or an http(s) URL):

    metadata:
      annotations:
        prodready.dev/deployment-path: ./deploy/kubernetes

    The workload must be named like the entity, or carry the label
    app.kubernetes.io/name or backstage.io/kubernetes-id with the entity's name.
  docsUrl: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/

- id: manifests-consistent
  title: Manifests parse and their selectors match
  description: >-
    Every manifest parses, and the Service, HPA and PodDisruptionBudget select or target the
    workload's pods.
  area: deployment
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: deployment
        path: $.errors
        operator: equal
        value: []
        message: >-
          The deployment files have errors: {#deployment.errors}{.path|}{#.document}
          (document {.}){/.document}{#.path}: {/.path}{.message}{/deployment.errors}
      - fact: deployment
        path: $.selectorsMatch
        operator: equal
        value: true
        message: >-
          Selectors do not match:
          {#deployment.selectorMismatches}{.}{/deployment.selectorMismatches}
  messages:
    pass: The deployment files parse, and every selector matches the pods it should
  remediation: |
    Fix the YAML errors named in the message, and make every selector match the pod labels:

    spec:
      selector:
        matchLabels:
          app.kubernetes.io/name: my-service   # the same label as spec.template.metadata.labels
  docsUrl: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors

- id: no-removed-api-versions
  title: Manifests use API versions Kubernetes still serves
  description: >-
    No manifest uses an apiVersion that current Kubernetes no longer serves, such as
    autoscaling/v2beta2, policy/v1beta1 or extensions/v1beta1: the cluster rejects those
    objects, so the next deploy, or the next cluster upgrade, fails.
  area: deployment
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: deployment
        path: $.mainWorkload
        operator: exists
        message: >-
          No Deployment, StatefulSet or Rollout found in the deployment files, so their API versions were not checked
      - not: { fact: deployment, path: '$.removedApis[0]', operator: exists }
        message: >-
          {#deployment.removedApis}{.kind} \`{.name|unnamed}\` ({.path}) uses {.apiVersion},
          removed in Kubernetes {.removedIn}: use {.replacement}{/deployment.removedApis}
  messages:
    pass: Every manifest uses an API version that Kubernetes still serves
  remediation: |
    Move each object named in the message to the API version it names, converting the fields that changed:

    apiVersion: autoscaling/v2   # was autoscaling/v2beta2: the metrics keep their shape
    kind: HorizontalPodAutoscaler
    ---
    apiVersion: policy/v1       # was policy/v1beta1; an empty selector now selects every pod
    kind: PodDisruptionBudget
    ---
    apiVersion: networking.k8s.io/v1   # was extensions/v1beta1
    kind: Ingress
    spec:
      rules:
        - http:
            paths:
              - path: /
                pathType: Prefix
                backend:
                  service: { name: my-service, port: { number: 80 } }   # was serviceName/servicePort
  docsUrl: https://kubernetes.io/docs/reference/using-api/deprecation-guide/

- id: zero-downtime-rollout
  title: Rollouts keep the service up
  description: >-
    The workload is updated by a rolling update, blue-green or canary rollout, never by
    Recreate, which stops every pod before starting the new ones.
  area: deployment
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: deployment
        path: $.mainWorkload
        operator: exists
        message: >-
          No Deployment, StatefulSet or Rollout found in the deployment files
      - fact: deployment
        path: $.rollout.strategy
        operator: in
        value: [rolling-update, blue-green, canary]
        message: >-
          {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\`
          {#deployment.rollout.strategy}uses the {.} strategy, which stops every pod before
          starting the new ones{/deployment.rollout.strategy}{^deployment.rollout.strategy}uses
          no rolling-update, blue-green or canary strategy{/deployment.rollout.strategy}
  messages:
    pass: >-
      {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` uses the {deployment.rollout.strategy} strategy, which keeps
      pods serving
  remediation: |
    spec:
      strategy:
        type: RollingUpdate
        rollingUpdate:
          maxSurge: 25%
          maxUnavailable: 0
  docsUrl: https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment

- id: progressive-delivery
  title: Blue-green or canary delivery
  description: >-
    New versions are released blue-green or canary (Argo Rollouts, Flagger), so that traffic
    switches only after health checks and the previous version stays ready for a quick rollback.
  area: deployment
  level: gold
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: warning
  rule:
    all:
      - fact: deployment
        path: $.mainWorkload
        operator: exists
        message: >-
          No Deployment, StatefulSet or Rollout found in the deployment files
      - fact: deployment
        path: $.rollout.strategy
        operator: in
        value: [blue-green, canary]
        message: >-
          {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\`
          {#deployment.rollout.strategy}uses the {.} strategy{/deployment.rollout.strategy}{^deployment.rollout.strategy}uses
          no known strategy{/deployment.rollout.strategy}, not blue-green or canary
  messages:
    pass: >-
      {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` is released {deployment.rollout.strategy}, driven by
      {deployment.rollout.tool}
  remediation: |
    Use an Argo Rollouts Rollout with a blue-green strategy:

    apiVersion: argoproj.io/v1alpha1
    kind: Rollout
    spec:
      strategy:
        blueGreen:
          activeService: my-service
          previewService: my-service-preview
          autoPromotionEnabled: false
          prePromotionAnalysis:
            templates:
              - templateName: smoke-tests
  docsUrl: https://argo-rollouts.readthedocs.io/en/stable/features/bluegreen/

# ---------------------------------------------------------------------------
# Load balancing & health checks
# ---------------------------------------------------------------------------
- id: probes-configured
  title: Liveness and readiness probes
  description: >-
    Every container has a readiness probe (the load balancer only sends traffic to ready pods)
    and a liveness probe (a stuck pod is restarted).
  area: load-balancing
  level: bronze
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: deployment
        path: $.mainWorkload
        operator: exists
        message: >-
          No Deployment, StatefulSet or Rollout found in the deployment files
      - { fact: deployment, path: $.probes.readiness, operator: equal, value: true }
      - { fact: deployment, path: $.probes.liveness, operator: equal, value: true }
  messages:
    pass: Every container of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` has readiness and liveness probes
    fail: >-
      Not every container of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` has
      {^deployment.probes.readiness}a readiness probe{/deployment.probes.readiness}{^deployment.probes.readiness}{^deployment.probes.liveness}
      and {/deployment.probes.liveness}{/deployment.probes.readiness}{^deployment.probes.liveness}a
      liveness probe{/deployment.probes.liveness}
  remediation: |
    containers:
      - name: my-service
        readinessProbe:
          httpGet: { path: /readyz, port: http }
          periodSeconds: 5
        livenessProbe:
          httpGet: { path: /healthz, port: http }
          periodSeconds: 10
          failureThreshold: 3
  docsUrl: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/

- id: service-routes-to-pods
  title: A Service load-balances to the pods
  description: A Service selects the workload's pods, so that traffic is spread over every ready replica.
  area: load-balancing
  level: bronze
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: deployment
        path: $.mainWorkload
        operator: exists
        message: >-
          No Deployment, StatefulSet or Rollout found in the deployment files
      - fact: deployment
        path: $.service.selectsWorkload
        operator: equal
        value: true
        message: >-
          No Service selects the pods of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` (Services in the files:
          {deployment.service.names|none})
  messages:
    pass: >-
      A Service ({deployment.service.names}) load-balances to the pods of
      {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\`
  remediation: |
    apiVersion: v1
    kind: Service
    metadata:
      name: my-service
    spec:
      type: ClusterIP
      selector:
        app.kubernetes.io/name: my-service
      ports:
        - name: http
          port: 80
          targetPort: http
  docsUrl: https://kubernetes.io/docs/concepts/services-networking/service/

- id: pdb-configured
  title: A PodDisruptionBudget that leaves room to drain
  description: >-
    A PodDisruptionBudget selects the pods and allows at least one of them to be evicted, so
    that voluntary disruptions keep enough replicas serving and node drains can still proceed.
  area: load-balancing
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: deployment
        path: $.mainWorkload
        operator: exists
        message: >-
          No Deployment, StatefulSet or Rollout found in the deployment files
      - fact: deployment
        path: $.pdb
        operator: exists
        message: No PodDisruptionBudget selects the pods of \`{deployment.mainWorkload.name|unnamed}\`
      - fact: deployment
        path: $.pdb.matchesWorkload
        operator: equal
        value: true
        message: >-
          PodDisruptionBudget \`{deployment.pdb.name|unnamed}\` does not select the pods of
          \`{deployment.mainWorkload.name|unnamed}\`
      - fact: deployment
        path: $.pdb.allowedDisruptions
        operator: greaterThanInclusive
        value: 1
        message: >-
          PodDisruptionBudget \`{deployment.pdb.name|unnamed}\` lets no pod of
          \`{deployment.mainWorkload.name|unnamed}\` be evicted
          ({deployment.pdb.replicasConsidered|unknown} replica(s) considered), so it blocks every node drain
  messages:
    pass: >-
      PodDisruptionBudget \`{deployment.pdb.name|unnamed}\` lets {deployment.pdb.allowedDisruptions}
      of the {deployment.pdb.replicasConsidered} pod(s) of \`{deployment.mainWorkload.name|unnamed}\`
      be evicted at a time
  remediation: |
    With at least two replicas:

    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata:
      name: my-service
    spec:
      maxUnavailable: 1
      selector:
        matchLabels:
          app.kubernetes.io/name: my-service

    A minAvailable equal to the replica count allows no eviction and blocks every node drain.
  docsUrl: https://kubernetes.io/docs/tasks/run-application/configure-pdb/

- id: zone-spread
  title: Replicas are spread across zones
  description: >-
    topologySpreadConstraints (or pod anti-affinity) on topology.kubernetes.io/zone, so that
    losing a zone leaves replicas serving: failover without a redeploy.
  area: load-balancing
  level: gold
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: deployment
        path: $.mainWorkload
        operator: exists
        message: >-
          No Deployment, StatefulSet or Rollout found in the deployment files
      - fact: deployment
        path: $.zoneSpread
        operator: equal
        value: true
        message: >-
          The pods of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` are not spread across zones, so losing a zone
          can take every replica down
  messages:
    pass: The pods of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` are spread across zones
  remediation: |
    spec:
      template:
        spec:
          topologySpreadConstraints:
            - maxSkew: 1
              topologyKey: topology.kubernetes.io/zone
              whenUnsatisfiable: DoNotSchedule
              labelSelector:
                matchLabels:
                  app.kubernetes.io/name: my-service
  docsUrl: https://kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/

- id: startup-probe
  title: Startup probe
  description: >-
    A startup probe gives slow-starting containers time to start before the liveness probe
    counts, instead of a long initialDelaySeconds.
  area: load-balancing
  level: gold
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: warning
  rule:
    all:
      - fact: deployment
        path: $.mainWorkload
        operator: exists
        message: >-
          No Deployment, StatefulSet or Rollout found in the deployment files
      - fact: deployment
        path: $.probes.startup
        operator: equal
        value: true
        message: Not every container of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` has a startup probe
  messages:
    pass: Every container of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` has a startup probe
  remediation: |
    containers:
      - name: my-service
        startupProbe:
          httpGet: { path: /healthz, port: http }
          periodSeconds: 5
          failureThreshold: 30   # up to 150 s to start
  docsUrl: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/

# ---------------------------------------------------------------------------
# Auto-scaling (seed: CPU 70%, memory 80%, scale-up 300 s, scale-down 600 s, 2..50, peak + 50%)
# ---------------------------------------------------------------------------
- id: hpa-configured
  title: HorizontalPodAutoscaler within the seed's bounds
  description: >-
    A HorizontalPodAutoscaler targets the workload and keeps between 2 (never a single
    replica) and 50 replicas.
  area: auto-scaling
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: deployment
        path: $.mainWorkload
        operator: exists
        message: >-
          No Deployment, StatefulSet or Rollout found in the deployment files
      - fact: deployment
        path: $.hpa
        operator: exists
        message: No HorizontalPodAutoscaler scales {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\`
      - fact: deployment
        path: $.hpa.targetsWorkload
        operator: equal
        value: true
        message: >-
          {deployment.hpa.kind} \`{deployment.hpa.name|unnamed}\` targets {deployment.hpa.scaleTargetRef.kind|a workload}
          \`{deployment.hpa.scaleTargetRef.name|unnamed}\`, which is not in the deployment files
      - fact: deployment
        path: $.hpa.minReplicas
        operator: greaterThanInclusive
        value: 2
        message: >-
          {deployment.hpa.kind} \`{deployment.hpa.name|unnamed}\` lets \`{deployment.mainWorkload.name|unnamed}\` scale
          down to {deployment.hpa.minReplicas} replica(s): keep at least 2, never a single one
      - fact: deployment
        path: $.hpa.maxReplicas
        operator: lessThanInclusive
        value: 50
        message: >-
          {deployment.hpa.kind} \`{deployment.hpa.name|unnamed}\` lets \`{deployment.mainWorkload.name|unnamed}\` scale up
          to {deployment.hpa.maxReplicas|an unset number of} replicas, above the seed's 50
  messages:
    pass: >-
      {deployment.hpa.kind} \`{deployment.hpa.name|unnamed}\` keeps \`{deployment.mainWorkload.name|unnamed}\` between
      {deployment.hpa.minReplicas} and {deployment.hpa.maxReplicas} replicas
  remediation: |
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: my-service
    spec:
      scaleTargetRef:
        apiVersion: apps/v1
        kind: Deployment
        name: my-service
      minReplicas: 2
      maxReplicas: 50   # or the capacity the peak needs, see hpa-capacity
  docsUrl: https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/

- id: hpa-utilization-targets
  title: HPA scales on CPU 70% and memory 80%
  description: >-
    The HPA targets an average CPU utilisation of at most 70% and memory of at most 80% of the
    requests, the seed's thresholds, leaving headroom while new pods start.
  area: auto-scaling
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: deployment
        path: $.hpa
        operator: exists
        message: No HorizontalPodAutoscaler found in the deployment files
      - fact: deployment
        path: $.hpa.cpuTargetPercent
        operator: lessThanInclusive
        value: 70
        message: >-
          {deployment.hpa.kind} \`{deployment.hpa.name|unnamed}\` {#deployment.hpa.cpuTargetPercent}targets {.}% CPU
          utilisation, above the seed's 70%{/deployment.hpa.cpuTargetPercent}{^deployment.hpa.cpuTargetPercent}does
          not scale on CPU utilisation (the seed's target is 70%){/deployment.hpa.cpuTargetPercent}
      - fact: deployment
        path: $.hpa.memoryTargetPercent
        operator: lessThanInclusive
        value: 80
        message: >-
          {deployment.hpa.kind} \`{deployment.hpa.name|unnamed}\` {#deployment.hpa.memoryTargetPercent}targets {.}% memory
          utilisation, above the seed's 80%{/deployment.hpa.memoryTargetPercent}{^deployment.hpa.memoryTargetPercent}does
          not scale on memory utilisation (the seed's target is 80%){/deployment.hpa.memoryTargetPercent}
  messages:
    pass: >-
      {deployment.hpa.kind} \`{deployment.hpa.name|unnamed}\` targets {deployment.hpa.cpuTargetPercent}% CPU and
      {deployment.hpa.memoryTargetPercent}% memory utilisation
  remediation: |
    spec:
      metrics:
        - type: Resource
          resource:
            name: cpu
            target: { type: Utilization, averageUtilization: 70 }
        - type: Resource
          resource:
            name: memory
            target: { type: Utilization, averageUtilization: 80 }
  docsUrl: https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#scaling-on-multiple-metrics

- id: hpa-scaling-behavior
  title: HPA cooldowns of the seed
  description: >-
    The HPA declares stabilisation windows of at least 300 s after scaling up and 600 s
    before scaling down, so that it does not flap.
  area: auto-scaling
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: deployment
        path: $.hpa
        operator: exists
        message: No HorizontalPodAutoscaler found in the deployment files
      - fact: deployment
        path: $.hpa.scaleUpStabilizationSeconds
        operator: greaterThanInclusive
        value: 300
        message: >-
          {deployment.hpa.kind} \`{deployment.hpa.name|unnamed}\` {#deployment.hpa.scaleUpStabilizationSeconds}waits {.} s after scaling up{/deployment.hpa.scaleUpStabilizationSeconds}{^deployment.hpa.scaleUpStabilizationSeconds}waits the default 0 s after scaling up{/deployment.hpa.scaleUpStabilizationSeconds}, less than the seed's 300 s
      - fact: deployment
        path: $.hpa.scaleDownStabilizationSeconds
        operator: greaterThanInclusive
        value: 600
        message: >-
          {deployment.hpa.kind} \`{deployment.hpa.name|unnamed}\` {#deployment.hpa.scaleDownStabilizationSeconds}waits {.} s before scaling down{/deployment.hpa.scaleDownStabilizationSeconds}{^deployment.hpa.scaleDownStabilizationSeconds}waits the default 300 s before scaling down{/deployment.hpa.scaleDownStabilizationSeconds}, less than the seed's 600 s
  messages:
    pass: >-
      {deployment.hpa.kind} \`{deployment.hpa.name|unnamed}\` waits {deployment.hpa.scaleUpStabilizationSeconds} s after
      scaling up and {deployment.hpa.scaleDownStabilizationSeconds} s before scaling down
  remediation: |
    spec:
      behavior:
        scaleUp:
          stabilizationWindowSeconds: 300
        scaleDown:
          stabilizationWindowSeconds: 600
  docsUrl: https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior

- id: hpa-capacity
  title: HPA maximum covers the peak plus 50%
  description: >-
    At maxReplicas, the service handles the expected peak (prodready.dev/peak-rps) plus the
    seed's 50% buffer. The per-pod capacity comes from the prodready.dev/per-pod-rps annotation
    of the HPA or workload, or from a "<n> rps per pod" comment next to the HPA.
  area: auto-scaling
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: serviceLevels
        path: $.peakRps
        operator: exists
        message: >-
          The expected peak is not declared (prodready.dev/peak-rps), so the capacity at the
          HPA maximum cannot be checked
      - fact: deployment
        path: $.capacity.perPodRps
        operator: exists
        message: >-
          The capacity of one pod is not declared (prodready.dev/per-pod-rps on the HPA or the
          workload, or a "<n> rps per pod" comment), so the capacity at the HPA maximum cannot
          be checked
      - fact: deployment
        path: $.capacity.atMaxReplicasRps
        operator: greaterThanInclusive
        value: { fact: serviceLevels, path: $.requiredCapacityRps }
        message: >-
          At {deployment.capacity.maxReplicas|an unknown number of} replicas of
          {deployment.capacity.perPodRps} rps, the service serves
          {deployment.capacity.atMaxReplicasRps|an unknown number of} rps, less than the
          {serviceLevels.requiredCapacityRps} rps that the peak of {serviceLevels.peakRps} rps
          plus 50% needs
  messages:
    pass: >-
      At {deployment.capacity.maxReplicas} replicas of {deployment.capacity.perPodRps} rps,
      the service serves {deployment.capacity.atMaxReplicasRps} rps, enough for the peak of
      {serviceLevels.peakRps} rps plus 50% ({serviceLevels.requiredCapacityRps} rps)
  remediation: |
    maxReplicas = ceil(peak rps ÷ rps per pod × 1.5). Declare both numbers, then raise maxReplicas:

    # catalog-info.yaml
    prodready.dev/peak-rps: '800'
    # hpa.yaml
    metadata:
      annotations:
        prodready.dev/per-pod-rps: '80'   # measured by a load test
    spec:
      maxReplicas: 15   # 800 ÷ 80 × 1.5
  docsUrl: https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#algorithm-details

# ---------------------------------------------------------------------------
# Performance
# ---------------------------------------------------------------------------
- id: resource-requests
  title: CPU and memory requests and limits
  description: >-
    Every container requests and limits CPU and memory, so that it is scheduled on a node
    with room for it and cannot starve its neighbours.
  area: performance
  level: bronze
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: deployment
        path: $.mainWorkload
        operator: exists
        message: >-
          No Deployment, StatefulSet or Rollout found in the deployment files
      - fact: deployment
        path: $.resources.requestsSet
        operator: equal
        value: true
        message: >-
          Not every container of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` requests both CPU and memory, so
          its pods may land on nodes without room for them
      - fact: deployment
        path: $.resources.limitsSet
        operator: equal
        value: true
        message: >-
          Not every container of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` limits both CPU and memory, so a pod
          can starve its neighbours
  messages:
    pass: Every container of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` requests and limits CPU and memory
  remediation: |
    containers:
      - name: my-service
        resources:
          requests: { cpu: 500m, memory: 512Mi }
          limits: { cpu: '2', memory: 1Gi }
  docsUrl: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/

- id: utilization-targets-have-requests
  title: Every utilisation target has a request
  description: >-
    An HPA utilisation target is a percentage of the container's request; without a request
    the HPA cannot compute it and does not scale on that metric.
  area: performance
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: deployment
        path: $.mainWorkload
        operator: exists
        message: >-
          No Deployment, StatefulSet or Rollout found in the deployment files
      - fact: deployment
        path: $.utilisationTargetsHaveRequests
        operator: equal
        value: true
        message: >-
          {deployment.hpa.kind} \`{deployment.hpa.name|unnamed}\` scales on the utilisation of a resource that a
          container of \`{deployment.mainWorkload.name|unnamed}\` does not request, so it cannot
          compute it
  messages:
    pass: >-
      {#deployment.hpa}Every utilisation target of {.kind} \`{.name|unnamed}\` has a request in the
      containers it measures{/deployment.hpa}{^deployment.hpa}No HorizontalPodAutoscaler scales
      on utilisation{/deployment.hpa}
  remediation: |
    For an HPA that targets memory utilisation, request memory in every container:

    resources:
      requests:
        cpu: 500m
        memory: 512Mi
  docsUrl: https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#support-for-resource-metrics

- id: caching
  title: Uses a cache
  description: >-
    An application cache (Redis, Memcached, ...) takes load off the database. Detected from a
    tag (cache, redis, memcached, ...) or a dependency named like a cache, such as
    resource:default/cart-cache; not every service needs one.
  area: performance
  level: gold
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: info
  rule: { fact: entity, path: $.caching.detected, operator: equal, value: true }
  messages:
    pass: 'Uses a cache: {entity.caching.evidence}'
    fail: No cache found, from the tags or the dependencies
  remediation: |
    If reads dominate, add a cache and declare it:

    spec:
      dependsOn:
        - resource:default/my-service-cache   # a Resource of spec.type cache
  docsUrl: https://aws.amazon.com/caching/best-practices/

# ---------------------------------------------------------------------------
# CDN & compression
# ---------------------------------------------------------------------------
- id: cdn-static-assets
  title: Static assets are served from a CDN
  description: A website's static assets are served through a CDN (CloudFront, Cloudflare, Azure CDN, Cloud CDN).
  area: cdn
  level: silver
  applicability:
    kinds: [Component]
    types: [website]
    lifecycles: [production]
  severity: warning
  rule: { fact: deployment, path: $.cdn.detected, operator: equal, value: true }
  messages:
    pass: 'A CDN serves the site: {deployment.cdn.evidence}'
    fail: No CDN found in the deployment files
  remediation: |
    Put the site behind a CDN and say so in its manifests, for example on GKE:

    apiVersion: cloud.google.com/v1
    kind: BackendConfig
    spec:
      cdn:
        enabled: true
  docsUrl: https://developer.mozilla.org/en-US/docs/Web/HTTP/Caching

- id: compression
  title: Responses are compressed
  description: The Ingress (or gateway) compresses responses with gzip or Brotli.
  area: cdn
  level: gold
  applicability:
    kinds: [Component]
    types: [service, website]
    lifecycles: [production]
  severity: warning
  rule:
    any:
      - all:
          - fact: deployment
            path: $.mainWorkload
            operator: exists
            message: >-
              No Deployment, StatefulSet or Rollout found in the deployment files
          - { fact: deployment, path: $.ingress.present, operator: equal, value: false }
      - fact: deployment
        path: $.compression.detected
        operator: equal
        value: true
        message: >-
          Ingress {deployment.ingress.names} does not compress responses with gzip or Brotli
  messages:
    pass: >-
      {#deployment.compression.detected}Responses are compressed:
      {deployment.compression.evidence}{/deployment.compression.detected}{^deployment.compression.detected}No
      Ingress: nothing to compress at the edge{/deployment.compression.detected}
  remediation: |
    With ingress-nginx, enable it in the controller ConfigMap (use-gzip: 'true', enable-brotli: 'true')
    or per Ingress:

    metadata:
      annotations:
        nginx.ingress.kubernetes.io/server-snippet: |
          gzip on;
  docsUrl: https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#use-gzip

# ---------------------------------------------------------------------------
# Security
# ---------------------------------------------------------------------------
- id: ingress-tls
  title: Every Ingress host serves TLS
  description: Every host of every Ingress is covered by a TLS entry, so no traffic is served in plaintext.
  area: security
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    any:
      - all:
          - fact: deployment
            path: $.mainWorkload
            operator: exists
            message: >-
              No Deployment, StatefulSet or Rollout found in the deployment files
          - { fact: deployment, path: $.ingress.present, operator: equal, value: false }
      - fact: deployment
        path: $.ingress.tls
        operator: equal
        value: true
        message: >-
          Ingress {deployment.ingress.names} serves {deployment.ingress.uncoveredHosts|its hosts} without TLS
  messages:
    pass: >-
      {#deployment.ingress.present}Every host of Ingress {deployment.ingress.names} serves
      TLS{/deployment.ingress.present}{^deployment.ingress.present}No Ingress: the service is
      not exposed outside the cluster{/deployment.ingress.present}
  remediation: |
    spec:
      tls:
        - hosts:
            - my-service.example.com
          secretName: my-service-tls
  docsUrl: https://kubernetes.io/docs/concepts/services-networking/ingress/#tls

- id: tls-certificate-managed
  title: TLS certificates are issued and renewed automatically
  description: The Ingress names a cert-manager issuer, so certificates are issued and renewed without people.
  area: security
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    any:
      - all:
          - fact: deployment
            path: $.mainWorkload
            operator: exists
            message: >-
              No Deployment, StatefulSet or Rollout found in the deployment files
          - { fact: deployment, path: $.ingress.present, operator: equal, value: false }
      - fact: deployment
        path: $.ingress.certManagerIssuer
        operator: exists
        message: >-
          Ingress {deployment.ingress.names} names no cert-manager issuer, so its certificates are not renewed automatically
  messages:
    pass: >-
      {#deployment.ingress.present}cert-manager issuer \`{deployment.ingress.certManagerIssuer}\`
      issues and renews the certificates{/deployment.ingress.present}{^deployment.ingress.present}No
      Ingress: no certificate to manage{/deployment.ingress.present}
  remediation: |
    metadata:
      annotations:
        cert-manager.io/cluster-issuer: letsencrypt-prod
  docsUrl: https://cert-manager.io/docs/usage/ingress/

- id: network-policy
  title: A NetworkPolicy restricts who reaches the pods
  description: A NetworkPolicy selects the workload and admits only the sources it names.
  area: security
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: deployment
        path: $.mainWorkload
        operator: exists
        message: >-
          No Deployment, StatefulSet or Rollout found in the deployment files
      - fact: deployment
        path: $.networkPolicy.selectsWorkload
        operator: equal
        value: true
        message: >-
          No NetworkPolicy selects the pods of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\`
          ({deployment.networkPolicy.count} NetworkPolicies in the files)
      - fact: deployment
        path: $.networkPolicy.ingressRestricted
        operator: equal
        value: true
        message: >-
          A NetworkPolicy selects the pods of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\`, but it admits every
          source
  messages:
    pass: NetworkPolicies admit only the sources they name to the pods of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\`
  remediation: |
    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: my-service
    spec:
      podSelector:
        matchLabels:
          app.kubernetes.io/name: my-service
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: ingress-nginx
          ports:
            - { protocol: TCP, port: 8080 }
  docsUrl: https://kubernetes.io/docs/concepts/services-networking/network-policies/

- id: no-direct-exposure
  title: Pods are not exposed around the Ingress
  description: >-
    No Service of type NodePort or LoadBalancer exposes the pods directly, in plaintext and
    without the Ingress's TLS, rate limits and WAF.
  area: security
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: warning
  rule:
    all:
      - fact: deployment
        path: $.mainWorkload
        operator: exists
        message: >-
          No Deployment, StatefulSet or Rollout found in the deployment files
      - fact: deployment
        path: $.service.types
        operator: doesNotContain
        value: NodePort
        message: >-
          A NodePort Service exposes the pods of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` directly, around the
          Ingress
      - fact: deployment
        path: $.service.types
        operator: doesNotContain
        value: LoadBalancer
        message: >-
          A LoadBalancer Service exposes the pods of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` directly, around
          the Ingress
  messages:
    pass: >-
      No Service exposes the pods of {deployment.mainWorkload.kind} \`{deployment.mainWorkload.name|unnamed}\` around the Ingress (Service
      types: {deployment.service.types|none})
  remediation: |
    Use a ClusterIP Service behind the Ingress:

    spec:
      type: ClusterIP
  docsUrl: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types

- id: network-policy-egress
  title: Egress is restricted
  description: The pods may only connect to the destinations they need, which limits what a compromised pod can reach.
  area: security
  level: gold
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: warning
  rule:
    any:
      - { fact: deployment, path: $.networkPolicy.egressRestricted, operator: equal, value: true }
      - { fact: deployment, path: $.networkPolicy.defaultDenyEgress, operator: equal, value: true }
  messages:
    pass: >-
      {#deployment.networkPolicy.egressRestricted}A NetworkPolicy restricts where the pods may
      connect{/deployment.networkPolicy.egressRestricted}{^deployment.networkPolicy.egressRestricted}A
      default-deny NetworkPolicy blocks the egress that no policy allows{/deployment.networkPolicy.egressRestricted}
    fail: >-
      The pods may connect anywhere: no NetworkPolicy restricts their egress, and none denies
      egress by default
  remediation: |
    spec:
      policyTypes: [Ingress, Egress]
      egress:
        - to:
            - namespaceSelector:
                matchLabels:
                  kubernetes.io/metadata.name: kube-system
          ports:
            - { protocol: UDP, port: 53 }
        - to:
            - ipBlock: { cidr: 10.20.0.0/16 }   # the database subnet
          ports:
            - { protocol: TCP, port: 5432 }
  docsUrl: https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic

- id: rate-limiting
  title: API rate limiting
  description: The Ingress limits the request rate per client, to prevent abuse and keep usage fair.
  area: security
  level: gold
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: warning
  rule:
    any:
      - all:
          - fact: deployment
            path: $.mainWorkload
            operator: exists
            message: >-
              No Deployment, StatefulSet or Rollout found in the deployment files
          - { fact: deployment, path: $.ingress.present, operator: equal, value: false }
      - fact: deployment
        path: $.ingress.rateLimited
        operator: equal
        value: true
        message: >-
          Ingress {deployment.ingress.names} does not limit the request rate per client
  messages:
    pass: >-
      {#deployment.ingress.present}Ingress {deployment.ingress.names} limits the request
      rate{/deployment.ingress.present}{^deployment.ingress.present}No Ingress: no traffic from
      outside the cluster to limit{/deployment.ingress.present}
  remediation: |
    metadata:
      annotations:
        nginx.ingress.kubernetes.io/limit-rps: '50'
  docsUrl: https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#rate-limiting

- id: waf
  title: Web application firewall
  description: Requests pass a web application firewall (ModSecurity with the OWASP core rule set, AWS WAF, Cloud Armor).
  area: security
  level: gold
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: warning
  rule:
    any:
      - all:
          - fact: deployment
            path: $.mainWorkload
            operator: exists
            message: >-
              No Deployment, StatefulSet or Rollout found in the deployment files
          - { fact: deployment, path: $.ingress.present, operator: equal, value: false }
      - fact: deployment
        path: $.ingress.waf
        operator: equal
        value: true
        message: >-
          No web application firewall filters the requests to Ingress {deployment.ingress.names}
  messages:
    pass: >-
      {#deployment.ingress.present}A web application firewall filters the requests to Ingress
      {deployment.ingress.names}{/deployment.ingress.present}{^deployment.ingress.present}No
      Ingress: no traffic from outside the cluster to filter{/deployment.ingress.present}
  remediation: |
    metadata:
      annotations:
        nginx.ingress.kubernetes.io/enable-modsecurity: 'true'
        nginx.ingress.kubernetes.io/enable-owasp-core-rules: 'true'
  docsUrl: https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#modsecurity

# ---------------------------------------------------------------------------
# Compliance
# ---------------------------------------------------------------------------
- id: compliance-tagged
  title: Compliance frameworks are declared
  description: >-
    A tier-1 or tier-2 service names the compliance frameworks it falls under with a tag:
    pci-dss, gdpr, soc2, hipaa, iso27001 (also soc-2, iso-27001, fedramp, ccpa).
  area: compliance
  level: gold
  applicability:
    kinds: [Component]
    types: [service, website]
    lifecycles: [production]
    tiers: [tier-1, tier-2]
  severity: error
  rule: { fact: entity, path: $.complianceTagCount, operator: greaterThanInclusive, value: 1 }
  messages:
    pass: 'Compliance frameworks: {entity.complianceTags}'
    fail: >-
      This {entity.tier} service names no compliance framework in its tags
      ({entity.tags|it has none})
  remediation: |
    metadata:
      tags: [payments, pci-dss, gdpr]
  docsUrl: https://backstage.io/docs/features/software-catalog/descriptor-format/#tags-optional

# ---------------------------------------------------------------------------
# Disaster recovery & backup
# ---------------------------------------------------------------------------
- id: dr-plan-linked
  title: A disaster recovery plan is linked
  description: The service links its DR plan document, or references a DR plan entity.
  area: disaster-recovery
  level: bronze
  applicability:
    kinds: [Component]
    types: [service, website]
    lifecycles: [production]
  severity: error
  rule:
    any:
      - { fact: serviceLevels, path: $.drPlanUrl, operator: exists }
      - { fact: serviceLevels, path: $.drPlanResolved, operator: equal, value: true }
  messages:
    pass: >-
      {#serviceLevels.drPlanResolved}The DR plan is
      {serviceLevels.drPlanRef}{/serviceLevels.drPlanResolved}{^serviceLevels.drPlanResolved}The
      DR plan is at {serviceLevels.drPlanUrl}{/serviceLevels.drPlanResolved}
    fail: >-
      No disaster recovery plan is linked{#serviceLevels.drPlanRef}: {.} is not a DR plan in
      the catalog{/serviceLevels.drPlanRef}
  remediation: |
    metadata:
      annotations:
        prodready.dev/dr-plan-ref: resource:default/dr-plan-standard
        # or a document:
        prodready.dev/dr-plan-url: https://wiki.example.com/dr/my-service
  docsUrl: https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html

- id: dr-objectives-defined
  title: RTO and RPO are set
  description: The recovery time objective (maximum downtime) and recovery point objective (maximum data loss) are set.
  area: disaster-recovery
  level: bronze
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: serviceLevels
        path: $.rto
        operator: exists
        message: No recovery time objective (RTO) is set
      - fact: serviceLevels
        path: $.rpo
        operator: exists
        message: No recovery point objective (RPO) is set
  messages:
    pass: RTO {serviceLevels.rto}, RPO {serviceLevels.rpo}
  remediation: |
    metadata:
      annotations:
        prodready.dev/rto: 4h
        prodready.dev/rpo: 1h
    # or reference a DR plan that sets them: prodready.dev/dr-plan-ref
  docsUrl: https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/business-continuity-plan-bcp.html

- id: backup-scheduled
  title: Backups are scheduled and retained
  description: A backup schedule and a retention period are declared.
  area: disaster-recovery
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: serviceLevels
        path: $.backupSchedule
        operator: exists
        message: No backup schedule is declared
      - fact: serviceLevels
        path: $.backupRetentionMs
        operator: exists
        message: >-
          Backups run on \`{serviceLevels.backupSchedule}\`, but no retention period is declared
  messages:
    pass: Backups run on \`{serviceLevels.backupSchedule}\` (UTC), with a retention period
  remediation: |
    metadata:
      annotations:
        prodready.dev/backup-schedule: '0 * * * *'   # five-field cron, UTC
        prodready.dev/backup-retention: 30d
  docsUrl: https://docs.aws.amazon.com/prescriptive-guidance/latest/backup-recovery/welcome.html

- id: backup-meets-rpo
  title: Backups run at least as often as the RPO
  description: >-
    The longest gap between two scheduled backups is at most the RPO. (An RPO of 0 needs
    synchronous replication, which backups cannot provide; waive the check in that case.)
  area: disaster-recovery
  level: gold
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: serviceLevels
        path: $.rpo
        operator: exists
        message: No RPO is set, so the backups cannot be checked against it
      - fact: serviceLevels
        path: $.backupScheduleMaxIntervalMs
        operator: durationAtMost
        value: { fact: serviceLevels, path: $.rpo }
        message: >-
          {#serviceLevels.backupSchedule}Backups on \`{.}\` leave gaps longer than the RPO of
          {serviceLevels.rpo}{/serviceLevels.backupSchedule}{^serviceLevels.backupSchedule}No
          backup schedule is declared to meet the RPO of {serviceLevels.rpo}{/serviceLevels.backupSchedule}
  messages:
    pass: >-
      Backups on \`{serviceLevels.backupSchedule}\` run at least as often as the RPO of
      {serviceLevels.rpo}
  remediation: |
    Back up at least as often as the RPO; with an RPO of 1h:

    prodready.dev/backup-schedule: '0 * * * *'
  docsUrl: https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/business-continuity-plan-bcp.html

- id: dr-tested
  title: Disaster recovery tested within its interval
  description: The last DR test is more recent than the DR test interval of the service or its DR plan.
  area: disaster-recovery
  level: gold
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule:
    all:
      - fact: serviceLevels
        path: $.drTestInterval
        operator: exists
        message: No DR test interval is set, by the service or its DR plan
      - fact: serviceLevels
        path: $.drLastTested
        operator: dateWithin
        value: { fact: serviceLevels, path: $.drTestInterval }
        message: >-
          {#serviceLevels.drLastTested}The last DR test was on {.},
          {serviceLevels.drTestAgeDays} days ago: longer ago than the interval of
          {serviceLevels.drTestInterval}{/serviceLevels.drLastTested}{^serviceLevels.drLastTested}No
          DR test is recorded; the interval is {serviceLevels.drTestInterval}{/serviceLevels.drLastTested}
  messages:
    pass: >-
      The last DR test was on {serviceLevels.drLastTested}, {serviceLevels.drTestAgeDays} days
      ago, within the interval of {serviceLevels.drTestInterval}
  remediation: |
    Run a DR exercise (restore from backup, fail over), then record it:

    metadata:
      annotations:
        prodready.dev/dr-last-tested: '2026-11-20'
        prodready.dev/dr-test-interval: 180d
  docsUrl: https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/testing-disaster-recovery.html

# ---------------------------------------------------------------------------
# Monitoring & alerting
# ---------------------------------------------------------------------------
- id: runbook-linked
  title: A runbook is linked
  description: On-call engineers find the runbook from the service's page.
  area: monitoring
  level: bronze
  applicability:
    kinds: [Component]
    types: [service, website]
    lifecycles: [production]
  severity: error
  rule: { fact: serviceLevels, path: $.runbookUrl, operator: exists }
  messages:
    pass: The runbook is at {serviceLevels.runbookUrl}
    fail: No runbook is linked, by the service or its DR plan
  remediation: |
    metadata:
      annotations:
        prodready.dev/runbook-url: https://wiki.example.com/runbooks/my-service
  docsUrl: https://sre.google/sre-book/being-on-call/

- id: metrics-scraped
  title: Metrics are scraped
  description: Prometheus scrapes the service's metrics (a ServiceMonitor, a PodMonitor or the prometheus.io/scrape pod annotation).
  area: monitoring
  level: silver
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: warning
  rule: { fact: deployment, path: $.monitoring.metricsScraped, operator: equal, value: true }
  messages:
    pass: >-
      Prometheus scrapes the metrics ({deployment.monitoring.serviceMonitors} ServiceMonitor(s),
      {deployment.monitoring.podMonitors} PodMonitor(s){#deployment.monitoring.scrapeAnnotation},
      the prometheus.io/scrape annotation{/deployment.monitoring.scrapeAnnotation})
    fail: >-
      Nothing tells Prometheus to scrape the metrics: no ServiceMonitor, no PodMonitor, no
      prometheus.io/scrape annotation
  remediation: |
    apiVersion: monitoring.coreos.com/v1
    kind: ServiceMonitor
    metadata:
      name: my-service
    spec:
      selector:
        matchLabels:
          app.kubernetes.io/name: my-service
      endpoints:
        - port: metrics
  docsUrl: https://prometheus-operator.dev/docs/developer/getting-started/

- id: slo-alerts
  title: SLO alerts are defined as code
  description: >-
    A PrometheusRule with at least one alerting rule ships with the manifests, so that the
    SLA's availability and error-rate targets page someone before they are missed.
  area: monitoring
  level: gold
  applicability:
    kinds: [Component]
    types: [service]
    lifecycles: [production]
  severity: error
  rule: { fact: deployment, path: $.monitoring.alertRules, operator: greaterThanInclusive, value: 1 }
  messages:
    pass: >-
      {deployment.monitoring.alertRules} alerting rule(s) in
      {deployment.monitoring.prometheusRules} PrometheusRule(s) ship with the manifests
    fail: >-
      No alerting rule ships with the manifests{#deployment.monitoring.prometheusRules}
      ({.} PrometheusRule(s), without alerts){/deployment.monitoring.prometheusRules}
  remediation: |
    apiVersion: monitoring.coreos.com/v1
    kind: PrometheusRule
    metadata:
      name: my-service-slo
    spec:
      groups:
        - name: my-service-slo
          rules:
            - alert: MyServiceErrorBudgetBurn
              expr: |
                sum(rate(http_requests_total{service="my-service",code=~"5.."}[1h]))
                  / sum(rate(http_requests_total{service="my-service"}[1h])) > 14.4 * 0.001
              for: 5m
              labels: { severity: page }
  docsUrl: https://sre.google/workbook/alerting-on-slos/
`;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) {
      deepFreeze(child);
    }
  }
  return value;
}

/**
 * The built-in checks (parsed from {@link BUILT_IN_CHECKS_YAML}), frozen.
 * Compile them with `compileChecks(BUILT_IN_CHECKS, { levels: DEFAULT_LEVELS })`.
 *
 * @public
 */
export const BUILT_IN_CHECKS: ReadonlyArray<CheckDefinition> = deepFreeze(
  parse(BUILT_IN_CHECKS_YAML) as CheckDefinition[],
);

/**
 * The id of the built-in scorecard.
 *
 * @public
 */
export const BUILT_IN_SCORECARD_ID = 'production-readiness';

/**
 * Fact documents that built-in checks read but that only an optional
 * collector provides: `observedServiceLevels`, from the Prometheus module
 * (`@prodready/plugin-readiness-backend-module-prometheus`) where
 * `readiness.prometheus` is configured. Checks are validated as if they were
 * collected; where they are not, the checks over them do not apply
 * (`appliesWhen`).
 *
 * @public
 */
export const OPTIONAL_FACT_DOCUMENTS: ReadonlyArray<string> = Object.freeze([
  OBSERVED_SERVICE_LEVELS_FACT_ID,
]);
