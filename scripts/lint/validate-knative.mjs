// Validates Knative Services (app.yaml) against the serving.knative.dev/v1 schema that
// @kubernetes-models/knative generates from Knative's Go types.
// Usage: node validate-knative.mjs FILE...   Exit status 1 on any error.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { Service } from "@kubernetes-models/knative/serving.knative.dev/v1/Service";

let failures = 0;
const fail = (file, message) => {
  console.error(`${file}: ${message}`);
  failures++;
};

for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"), { uniqueKeys: true });
  if (docs.length === 0) fail(file, "no YAML document");
  for (const doc of docs) {
    for (const error of doc.errors) fail(file, error.message);
    if (doc.errors.length > 0) continue;
    const object = doc.toJS();
    if (object?.apiVersion !== Service.apiVersion || object?.kind !== Service.kind) {
      fail(file, `expected ${Service.apiVersion} ${Service.kind}, found ${object?.apiVersion} ${object?.kind}`);
      continue;
    }
    try {
      new Service(object).validate();
      console.log(`${file}: ${Service.kind} ${object.metadata?.name} is valid`);
    } catch (error) {
      for (const e of error.errors ?? [error]) {
        fail(file, `${e.instancePath || "/"} ${e.message}`);
      }
    }
  }
}
process.exit(failures > 0 ? 1 : 0);
