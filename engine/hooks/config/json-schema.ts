/**
 * JSON Schema for the editor, generated from the zod definition in
 * schema.ts so the two cannot drift apart.
 *
 * @packageDocumentation
 */

import { z } from 'zod';

import { HooksConfigSchema, StudioSettingsSchema } from './schema';

// hooks.toml nests the production object under [hooks]
const TomlDocumentSchema = z
  .looseObject({
    hooks: HooksConfigSchema.omit({ studio: true })
      .optional()
      .describe('Production hook configuration (serde `HooksConfig`).'),
    studio: StudioSettingsSchema.optional(),
  })
  .describe('hooks.toml');

/** Which text form the schema describes. */
export type SchemaForm = 'toml' | 'json';

/**
 * A JSON Schema (draft 2020-12) of the file as the user writes it: with
 * defaults shown and defaulted keys optional. Unknown keys are allowed, as
 * production allows them.
 *
 * @param form - `toml` for hooks.toml (`[hooks]` and `[studio]` tables),
 *   `json` for the flat JSON object.
 */
export function hooksConfigJsonSchema(
  form: SchemaForm,
): Record<string, unknown> {
  const schema = form === 'toml' ? TomlDocumentSchema : HooksConfigSchema;
  const generated = z.toJSONSchema(schema, { io: 'input' });
  return {
    ...generated,
    title: form === 'toml' ? 'hooks.toml' : 'hooks.json',
  };
}
