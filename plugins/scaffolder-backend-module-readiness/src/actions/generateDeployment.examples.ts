import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'An internal service for 1200 rps at 100 rps per pod, backed by PostgreSQL (HPA 2..18, hourly backups for a 1h RPO)',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'readiness:deployment:generate',
          name: 'Generate deployment configs',
          input: {
            name: 'orders',
            image: 'registry.example.com/shop/orders:1.0.0',
            peakRps: 1200,
            perPodRps: 100,
            dataStores: ['postgresql'],
            rpo: '1h',
          },
        },
      ],
    }),
  },
  {
    description:
      'A public service with TLS and a blue-green rollout, from the template parameters',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'readiness:deployment:generate',
          name: 'Generate deployment configs',
          input: {
            name: '${{ parameters.name }}',
            image: '${{ parameters.image }}',
            peakRps: '${{ parameters.peakRps }}',
            perPodRps: '${{ parameters.perPodRps }}',
            availability: '${{ parameters.availability }}',
            latencyP95: '${{ parameters.latencyP95 }}',
            exposure: 'public',
            host: '${{ parameters.host }}',
            rollout: 'blue-green',
            rto: '${{ parameters.rto }}',
            rpo: '${{ parameters.rpo }}',
          },
        },
      ],
    }),
  },
];
