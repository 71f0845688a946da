#!/usr/bin/env node
// Validates AsyncAPI 3.0.0 documents (JSON files named on the command line) against the official
// JSON Schema of @asyncapi/specs, with ajv as AsyncAPI's own parser sets it up (draft-07, formats);
// then each message's example payloads against the message's payload schema (as AsyncAPI's
// linter does). Prints "valid FILE" for each; on the first invalid one prints its errors and
// exits 1.
// Needs tools/web's packages (scripts/setup.sh installs them).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../tools/web/package.json', import.meta.url));
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const specs = require('@asyncapi/specs');

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: validate-asyncapi.mjs FILE.json…');
  process.exit(2);
}
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, unicodeRegExp: false });
addFormats(ajv);
// As AsyncAPI's parser does: the schema carries the JSON Schema meta-schemas among its
// definitions, which ajv has already (a second copy is refused as ambiguous).
const schema = structuredClone(specs.schemas['3.0.0']);
delete schema.definitions['http://json-schema.org/draft-07/schema'];
delete schema.definitions['http://json-schema.org/draft-04/schema'];
const validate = ajv.compile(schema);
// Payloads: the formats a document's schemas use, `decimal` being a number of at most two places.
const payloads = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
addFormats(payloads);
payloads.addFormat('decimal', {
  type: 'number',
  validate: (n) => Number.isFinite(n) && Math.abs(Math.round(n * 100) - n * 100) < 1e-6,
});
for (const file of files) {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  if (doc.asyncapi !== '3.0.0') {
    console.error(`${file}: asyncapi is ${JSON.stringify(doc.asyncapi)}, not "3.0.0"`);
    process.exit(1);
  }
  if (!validate(doc)) {
    console.error(`${file}: not a valid AsyncAPI 3.0.0 document`);
    for (const e of validate.errors) {
      console.error(`  ${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
    }
    process.exit(1);
  }
  for (const [id, message] of Object.entries(doc.components?.messages ?? {})) {
    if (!message.payload) continue;
    const check = payloads.compile(message.payload);
    for (const [i, example] of (message.examples ?? []).entries()) {
      if (!check(example.payload)) {
        console.error(`${file}: example ${i} of message ${id} does not fit its payload schema`);
        for (const e of check.errors) {
          console.error(`  ${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
        }
        process.exit(1);
      }
    }
  }
  console.log(`valid ${file}`);
}
