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
  {
    description:
      'Branch mode: commit the changes of a fetched local repository onto a new branch of it (the offline stand-in for a pull request), leaving its working tree untouched',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'readiness:publish:local',
          name: 'Commit onto a new branch',
          input: {
            repoName: 'fraud-detection',
            branch: 'readiness/fix-2026-12-06',
            expectedBaseCommit: '${{ steps.remediate.output.baseCommit }}',
            gitCommitMessage: '${{ steps.remediate.output.title }}',
            description: '${{ steps.remediate.output.description }}',
          },
        },
      ],
    }),
  },
];
