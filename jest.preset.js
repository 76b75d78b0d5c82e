const nxPreset = require('@nx/jest/preset').default;

/**
 * ESM-only packages the servers use (Node 24 requires them natively; jest's CommonJS runtime
 * does not): compiled to CommonJS by babel in tests. Jest merges this `transform` into each
 * project's, after the project's own patterns, so those must match `.ts` only.
 */
const ESM_PACKAGES = ['@nestjs/terminus'];

/** `import.meta.url` / `.dirname` do not exist in CommonJS: the module's own file stands in. */
function importMetaToCommonJs() {
  const replacements = {
    url: "require('node:url').pathToFileURL(__filename).href",
    dirname: '__dirname',
    filename: '__filename',
  };
  return {
    visitor: {
      MetaProperty(path) {
        const member = path.parentPath;
        const name = member.isMemberExpression() ? member.node.property.name : undefined;
        if (name in replacements) member.replaceWithSourceString(replacements[name]);
      },
    },
  };
}

module.exports = {
  ...nxPreset,
  transform: {
    [`node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: [
      'babel-jest',
      {
        babelrc: false,
        configFile: false,
        plugins: [importMetaToCommonJs, '@babel/plugin-transform-modules-commonjs'],
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
};
