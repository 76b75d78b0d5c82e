/**
 * Babel plugin for jest: `import.meta.url` / `.dirname` / `.filename` do not exist in CommonJS,
 * so the module's own file stands in (used for ESM-only packages, see jest.preset.js).
 */
const REPLACEMENTS = {
  url: "require('node:url').pathToFileURL(__filename).href",
  dirname: '__dirname',
  filename: '__filename',
};

module.exports = function importMetaToCommonJs() {
  return {
    visitor: {
      MetaProperty(path) {
        const member = path.parentPath;
        const name = member.isMemberExpression() ? member.node.property.name : undefined;
        if (name in REPLACEMENTS) member.replaceWithSourceString(REPLACEMENTS[name]);
      },
    },
  };
};
