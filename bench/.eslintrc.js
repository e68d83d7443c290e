// The benchmark is a private tool, not a published package: it runs from
// source with its devDependencies, and it measures the readiness backend
// through that package's own bench helpers (plugins/readiness-backend/bench).
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    '@backstage/no-undeclared-imports': 'off',
    '@backstage/no-forbidden-package-imports': 'off',
    '@backstage/no-mixed-plugin-imports': 'off',
  },
});
