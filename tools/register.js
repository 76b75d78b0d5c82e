// Lets tools/ scripts run from TypeScript sources: ts-node (transpile only) + the @gridwatch/* aliases.
const { join } = require('node:path');
process.env.TS_NODE_PROJECT ??= join(__dirname, 'tsconfig.json');
process.env.TS_NODE_TRANSPILE_ONLY ??= 'true';
require('ts-node').register();
require('./register-paths');
