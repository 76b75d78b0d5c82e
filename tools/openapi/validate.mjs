// Validates an OpenAPI document (file path) with @apidevtools/swagger-parser; exits 1 on error.
// Usage: node tools/openapi/validate.mjs openapi.json
import SwaggerParser from '@apidevtools/swagger-parser';

const file = process.argv[2];
if (!file) {
  console.error('usage: validate.mjs <openapi.json>');
  process.exit(2);
}
try {
  const api = await SwaggerParser.validate(file);
  console.log(
    `valid: ${api.info.title} ${api.info.version}, ${Object.keys(api.paths).length} paths`,
  );
} catch (error) {
  console.error(`invalid: ${error.message}`);
  process.exit(1);
}
