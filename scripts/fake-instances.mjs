// Makes instances of an OpenAPI document's schemas with json-schema-faker, for `cargo xtask
// conformance`: an independent reading of each schema, not the generator's.
//
// usage: node scripts/fake-instances.mjs NODE_MODULES_DIR INPUT.json OUTPUT.json
// INPUT:  {"document": <schemas in JSON Schema 2020-12 terms>, "pointers": ["/components/schemas/Pet", …], "seed": 1}
// OUTPUT: {"instances": {"<pointer>": [value, …]}, "errors": {"<pointer>": "message"}}
// Each pointer gets two instances: one with every optional member, one with about half of them.
// The seed makes the output the same on every run.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [nodeModules, inputPath, outputPath] = process.argv.slice(2);
if (!outputPath) {
  console.error("usage: fake-instances.mjs NODE_MODULES_DIR INPUT.json OUTPUT.json");
  process.exit(2);
}
const packageDir = join(nodeModules, "json-schema-faker");
const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
const { generateSync } = await import(pathToFileURL(join(packageDir, manifest.main)).href);

const input = JSON.parse(readFileSync(inputPath, "utf8"));
const variants = [
  { alwaysFakeOptionals: true, minItems: 1 },
  { optionalsProbability: 0.5 },
];
const common = { maxDepth: 4, refDepthMax: 2, maxItems: 3, maxLength: 24, useExamplesValue: true };
const instances = {};
const errors = {};
// Follows a JSON pointer (json-schema-faker's own `$ref` lookup does not unescape `~1`).
function at(document, pointer) {
  let node = document;
  for (const token of pointer.split("/").slice(1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = node[token.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return node;
}

input.pointers.forEach((pointer, index) => {
  let schema = at(input.document, pointer);
  // A schema that is only a reference is replaced by its target (bounded, for cycles): the
  // faker loses `allOf` members behind a root-level `$ref`.
  for (let hops = 0; hops < 8 && schema && typeof schema.$ref === "string" && schema.$ref.startsWith("#/") && Object.keys(schema).every((k) => k === "$ref" || k === "description"); hops++) {
    schema = at(input.document, schema.$ref.slice(1));
  }
  if (schema === null || typeof schema !== "object") {
    errors[pointer] = "no schema at this pointer";
    return;
  }
  // The schema's keywords laid over the document's root, so the `$ref`s in it resolve against
  // the document as written (schema keywords and OpenAPI's top-level members never share a name).
  const root = { ...input.document, ...schema };
  const made = [];
  variants.forEach((variant, v) => {
    try {
      made.push(generateSync(root, { ...common, ...variant, seed: input.seed + index * 7 + v }));
    } catch (error) {
      errors[pointer] = String(error && error.message ? error.message : error);
    }
  });
  if (made.length > 0) instances[pointer] = made;
});
writeFileSync(outputPath, JSON.stringify({ instances, errors }));
