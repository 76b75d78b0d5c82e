const nxPreset = require('@nx/jest/preset').default;

/**
 * ESM-only packages the servers use (Node 24 requires them natively; jest's CommonJS runtime
 * does not): compiled to CommonJS by babel in tests. Jest merges this `transform` into each
 * project's, after the project's own patterns, so those must match `.ts` only.
 */
const ESM_PACKAGES = ['@nestjs/terminus'];

module.exports = {
  ...nxPreset,
  transform: {
    [`node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: [
      'babel-jest',
      {
        babelrc: false,
        configFile: false,
        plugins: [
          require.resolve('./tools/jest/babel-import-meta.js'),
          '@babel/plugin-transform-modules-commonjs',
        ],
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
};
