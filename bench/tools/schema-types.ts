// Generates bench/model/result-format.generated.ts, the TypeScript types of bench/result.schema.json
// (json-schema-to-typescript), so the compiler can check the hand-written BenchResult against the
// schema (bench/model/result-format.check.ts). Run after changing the schema:
//
//   bun run schema:types        (bun bench/tools/schema-types.ts)
//
// A test regenerates the types in memory and fails while the committed file differs.
import { writeFile } from "node:fs/promises";
import { compile, type JSONSchema } from "json-schema-to-typescript";

export const SCHEMA_PATH = new URL("../result.schema.json", import.meta.url).pathname;
export const TYPES_PATH = new URL("../model/result-format.generated.ts", import.meta.url).pathname;

const BANNER = `// Generated from bench/result.schema.json by bench/tools/schema-types.ts: do not edit.
// Change the schema, then run \`bun run schema:types\`.`;

/** The generated module's text, from the schema as it is on disk. */
export async function generateSchemaTypes(): Promise<string> {
  const schema = (await Bun.file(SCHEMA_PATH).json()) as JSONSchema;
  return compile(schema, "SocketlabResult", {
    bannerComment: BANNER,
    // Every object of the format says whether it is closed; none is left to the default.
    additionalProperties: false,
    unreachableDefinitions: false,
    // Formatted (Prettier) as Biome formats the rest of the repository.
    style: { printWidth: 160, tabWidth: 2, useTabs: false, semi: true, singleQuote: false, trailingComma: "all", bracketSpacing: true, endOfLine: "lf" },
  });
}

if (import.meta.main) {
  await writeFile(TYPES_PATH, await generateSchemaTypes());
  console.log(`wrote ${TYPES_PATH.slice(process.cwd().length + 1) || TYPES_PATH}`);
}
