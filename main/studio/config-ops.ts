import {
  compatibilityReport,
  exportJson,
  exportPluginKv,
  exportToml,
  hooksConfigJsonSchema,
  importConfig,
  parseHooksToml,
} from '../../engine/hooks/config/index';
import type {
  ConfigExportRequest,
  ConfigExportResponse,
  ConfigImportRequest,
  ConfigImportResponse,
  ConfigSchemaRequest,
  ConfigSchemaResponse,
  ConfigValidateRequest,
  ConfigValidateResponse,
} from '../../preload/contract';

/**
 * The config operations that need no cluster: validate, export, import and
 * the editor's schema. The CLI runs the same functions.
 */

/** Checks a hooks.toml text; every problem is placed at line and column. */
export function validateConfig(
  request: ConfigValidateRequest,
): ConfigValidateResponse {
  const { config, diagnostics } = parseHooksToml(
    request.text,
    request.file ?? 'hooks.toml',
  );
  return { isValid: config !== undefined, diagnostics };
}

/**
 * Exports a hooks.toml text in one of production's shapes, with the
 * compatibility report.
 *
 * @throws `INVALID_HOOKS_CONFIG` (`file:line:col: message`) when the text
 *   has errors.
 */
export function exportConfig(
  request: ConfigExportRequest & { text: string },
  file = 'hooks.toml',
): ConfigExportResponse {
  const { config } = importConfig(request.text, 'toml', file);
  const options = { stripStudioKeys: request.stripStudioKeys ?? false };
  let content: string;
  if (request.format === 'toml') {
    content = exportToml(config, options);
  } else if (request.format === 'json') {
    content = exportJson(config, options);
  } else {
    content = `${JSON.stringify(exportPluginKv(config), null, 2)}\n`;
  }
  return {
    format: request.format,
    content,
    report: compatibilityReport(config),
  };
}

/**
 * Reads a production config (TOML or JSON) into hooks.toml text.
 *
 * @throws `INVALID_HOOKS_CONFIG` when the text has errors.
 */
export function importConfigText(
  request: ConfigImportRequest,
): ConfigImportResponse {
  const { config, warnings } = importConfig(request.text, request.format);
  return { text: exportToml(config), warnings };
}

/** The JSON Schema the editor checks hooks.toml with. */
export function configSchema(
  request: ConfigSchemaRequest,
): ConfigSchemaResponse {
  return { schema: hooksConfigJsonSchema(request.form ?? 'toml') };
}
