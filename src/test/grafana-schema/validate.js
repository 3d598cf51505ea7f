// Validates a Grafana dashboard JSON against Grafana's own dashboard schema: the TypeScript types that
// Grafana publishes in @grafana/schema (generated from its CUE schema), turned into a JSON schema.
// Usage: node validate.js DASHBOARD.json   Prints VALID (exit 0) or the schema violations (exit 1).
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv');

const types = path.join(__dirname, 'node_modules/@grafana/schema/dist/types/raw/dashboard/x/types.gen.d.ts');
// Generating the schema is most of a run's time (seconds): it is kept beside this script and made again whenever
// the types or this script are newer than it.
const cached = path.join(__dirname, 'dashboard.schema.json');
const mtime = file => fs.statSync(file).mtimeMs;
let schema;
if (fs.existsSync(cached) && mtime(cached) >= Math.max(mtime(types), mtime(__filename))) {
    schema = JSON.parse(fs.readFileSync(cached, 'utf8'));
} else {
    const { createGenerator } = require('ts-json-schema-generator');
    schema = createGenerator({ path: types, type: 'Dashboard', skipTypeCheck: true, additionalProperties: false })
        .createSchema('Dashboard');
    fs.writeFileSync(cached, JSON.stringify(schema));
}

const dashboard = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
// Import-time metadata that Grafana strips on import: not part of the dashboard model.
delete dashboard.__inputs;
delete dashboard.__requires;

const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
if (validate(dashboard)) {
    console.log('VALID');
} else {
    console.log(JSON.stringify(validate.errors, null, 1));
    process.exit(1);
}
