// Resolves the @gridwatch/* aliases of tsconfig.base.json for code Node loads outside a bundler.
const { join } = require('node:path');
const { compilerOptions } = require('../tsconfig.base.json');
require('tsconfig-paths').register({
  baseUrl: join(__dirname, '..'),
  paths: compilerOptions.paths,
});
