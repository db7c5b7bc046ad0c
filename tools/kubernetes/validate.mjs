// Validates Kubernetes manifests against the API schemas that kubernetes-models generates from the upstream OpenAPI
// definitions (types, required fields, enums, formats). Usage: node validate.mjs FILE_OR_DIR...
// Prints "ok <file> <kind>/<name>" per object, "error <file> …" per problem; exits 1 when any object is invalid or
// of an unknown apiVersion/kind. A kustomization.yaml is checked for resources that exist.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { parseAllDocuments } from "yaml";

const files = process.argv.slice(2).flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml")).sort().map((f) => join(p, f))
    : [p]);
let failed = false;
const fail = (message) => { console.log("error " + message); failed = true; };

for (const file of files) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      fail(`${file} YAML: ${doc.errors[0].message}`);
      continue;
    }
    const object = doc.toJS();
    if (object === null || object === undefined) {
      continue;
    }
    const { apiVersion, kind } = object;
    if (apiVersion === "kustomize.config.k8s.io/v1beta1" && kind === "Kustomization") {
      for (const resource of object.resources ?? []) {
        if (!existsSync(join(dirname(file), resource))) {
          fail(`${file} Kustomization: resource ${resource} does not exist`);
        }
      }
      console.log(`ok ${file} Kustomization`);
      continue;
    }
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
      fail(`${file}: apiVersion and kind are required`);
      continue;
    }
    const path = `kubernetes-models/${apiVersion}/${kind}`; // apiVersion "v1" or "apps/v1"
    let Model;
    try {
      Model = (await import(path))[kind];
    } catch (e) {
      fail(`${file}: unknown apiVersion/kind ${apiVersion} ${kind}`);
      continue;
    }
    try {
      new Model(object).validate();
      console.log(`ok ${file} ${kind}/${object.metadata?.name}`);
    } catch (e) {
      fail(`${file} ${kind}/${object.metadata?.name}: ${e.message}`);
    }
  }
}
process.exit(failed ? 1 : 0);
