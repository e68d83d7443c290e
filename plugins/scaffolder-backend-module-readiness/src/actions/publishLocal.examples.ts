import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the workspace to the local publish folder, then register it in the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'readiness:publish:local',
          name: 'Publish to a local repository',
          input: { repoName: '${{ parameters.name }}' },
        },
        {
          id: 'register',
          action: 'catalog:register',
          name: 'Register',
          input: {
            catalogInfoUrl: '${{ steps.publish.output.catalogInfoUrl }}',
          },
        },
      ],
    }),
  },
];
