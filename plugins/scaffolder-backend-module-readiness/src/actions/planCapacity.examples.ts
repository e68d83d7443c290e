import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Plan replicas for 1200 rps at 100 rps per pod (seed buffer of 50%)',
    example: yaml.stringify({
      steps: [
        {
          id: 'capacity',
          action: 'readiness:capacity:plan',
          name: 'Plan capacity',
          input: { peakRps: 1200, perPodRps: 100 },
        },
      ],
    }),
  },
  {
    description: 'Plan replicas with a 100% buffer and at least 3 replicas',
    example: yaml.stringify({
      steps: [
        {
          id: 'capacity',
          action: 'readiness:capacity:plan',
          name: 'Plan capacity',
          input: {
            peakRps: 5000,
            perPodRps: 250,
            capacityBufferPercent: 100,
            minReplicas: 3,
          },
        },
      ],
    }),
  },
];
