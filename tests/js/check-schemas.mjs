// Compiles every JSON Schema given on the command line with Ajv in strict mode (draft 2020-12),
// then validates the instances of a JSON file {schemaFile: [instance, …]}. Prints one JSON
// report; exits 1 when a schema does not compile or an instance is rejected.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";

const [instancesFile, ...schemaFiles] = process.argv.slice(2);
const instances = JSON.parse(readFileSync(instancesFile, "utf8"));
const report = {};
let failed = false;
for (const file of schemaFiles) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const entry = (report[file] = { compiled: false, errors: [] });
  try {
    const validate = ajv.compile(JSON.parse(readFileSync(file, "utf8")));
    entry.compiled = true;
    for (const [i, doc] of (instances[file] || []).entries()) {
      if (!validate(doc)) {
        failed = true;
        entry.errors.push({ instance: i, errors: validate.errors });
      }
    }
  } catch (e) {
    failed = true;
    entry.errors.push({ compile: String(e.message || e) });
  }
}
console.log(JSON.stringify(report, null, 1));
process.exit(failed ? 1 : 0);
