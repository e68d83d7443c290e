import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Record the SLA and DR objectives, the backup schedule from the generate step, and TechDocs links to the runbook and DR plan',
    example: yaml.stringify({
      steps: [
        {
          id: 'annotate',
          action: 'readiness:catalog:annotate',
          name: 'Annotate catalog-info.yaml',
          input: {
            templateVersion: '1.0.0',
            annotations: {
              'prodready.dev/tier': 'tier-2',
              'prodready.dev/availability': '99.9',
              'prodready.dev/latency-p95': '200ms',
              'prodready.dev/error-rate': '0.1%',
              'prodready.dev/peak-rps': 1200,
              'prodready.dev/rto': '4h',
              'prodready.dev/rpo': '1h',
              'prodready.dev/backup-schedule':
                '${{ steps.deploy.output.backupSchedule }}',
              'prodready.dev/backup-retention': '30d',
              'prodready.dev/runbook-url': 'techdocs:runbook',
              'prodready.dev/dr-plan-url': 'techdocs:disaster-recovery',
            },
          },
        },
      ],
    }),
  },
];
