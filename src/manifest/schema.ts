// The published JSON Schema of integration.yml and its compiled validator.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import af from "ajv-formats";
import schema from "../../schemas/integration.v1.schema.json" with { type: "json" };

export const MANIFEST_SCHEMA = schema;
/** The schema's `$id`. */
export const SCHEMA_ID: string = schema.$id;
/** Where the schema lives in this repository (and in the published package). */
export const SCHEMA_PATH = "schemas/integration.v1.schema.json";

/** The first line of a manifest that points editors (yaml-language-server) at the schema. */
export function schemaComment(ref: string = SCHEMA_ID): string {
  return `# yaml-language-server: $schema=${ref}`;
}

let compiled: ValidateFunction | undefined;

/** The compiled validator (allErrors: every error is reported, not the first). */
export function manifestValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({
      allErrors: true,
      verbose: true,
      strict: true,
      strictTypes: false,
      // if/then branches name keys declared in the branch they select.
      strictRequired: false,
      // Read by editors (yaml-language-server) and by our own messages.
      keywords: ["patternErrorMessage"],
    });
    af.default(ajv, ["email", "uri"]);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

export type SchemaError = ErrorObject;
