/**
 * Hook configuration: parse and validate hooks.toml, generate its JSON
 * Schema, export and import it in production's shapes, and report where
 * production would behave differently.
 *
 * @packageDocumentation
 */

export {
  compatibilityReport,
  type CompatibilityFinding,
  type FindingId,
  type FindingSeverity,
} from './compatibility';
export * from './constants';
export {
  formatPath,
  HooksConfigError,
  type Diagnostic,
  type KeyPath,
  type Problem,
  type Severity,
} from './diagnostic';
export {
  exportJson,
  exportPluginKv,
  exportToml,
  type ExportOptions,
  type PluginKvRecord,
} from './export';
export { importConfig, type ConfigFormat, type ImportResult } from './import';
export { hooksConfigJsonSchema, type SchemaForm } from './json-schema';
export { parseHooksJson, parseHooksToml, type ParseResult } from './parse';
export {
  HookHandlerSchema,
  HooksConfigSchema,
  studioSettings,
  StudioSettingsSchema,
  type HookHandlerConfig,
  type HookHandlerType,
  type HooksConfig,
  type StudioSettings,
} from './schema';
export { validateHooksConfig } from './validate';
