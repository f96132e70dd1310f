import type { MetricsRegistry } from './attempts';
import type {
  DispatchConfig,
  HandlerTarget,
  HookMode,
} from './dispatch-config';
import type { HookMetricsSnapshot } from '../reliability/hook-metrics';
import type { Priority } from '../../state/jobs/types';

/**
 * The hooks list with live metrics, an API of its own (DESIGN §3.4): every
 * handler of the config in force, then any hook that has metrics on this
 * node but is no longer configured.
 *
 * @packageDocumentation
 */

/** One hook as the hooks list shows it. */
export interface HookInfo {
  name: string;
  /** Whether the config in force has this handler. */
  isConfigured: boolean;
  isEnabled: boolean;
  pattern: string | null;
  mode: HookMode | null;
  handlerType: HandlerTarget['type'] | null;
  /** Job mode: the priority jobs get. */
  priority: Priority | null;
  /** Job mode: total attempts (`retry_count`, at least 1). */
  maxAttempts: number | null;
  metrics: HookMetricsSnapshot;
}

/** The hooks of `config`, and the other hooks `metrics` knows. */
export function listHooks(
  config: DispatchConfig,
  metrics: MetricsRegistry,
): HookInfo[] {
  const listed = config.hooks.map((hook): HookInfo => ({
    name: hook.name,
    isConfigured: true,
    isEnabled: config.isEnabled && hook.isEnabled,
    pattern: hook.pattern,
    mode: hook.mode,
    handlerType: hook.definition.type,
    priority: hook.mode === 'job' ? hook.priority : null,
    maxAttempts: hook.mode === 'job' ? Math.max(1, hook.retryCount) : null,
    metrics: metrics.of(hook.name).snapshot(),
  }));
  const known = new Set(listed.map((hook) => hook.name));
  for (const name of metrics.names()) {
    if (!known.has(name)) {
      listed.push({
        name,
        isConfigured: false,
        isEnabled: false,
        pattern: null,
        mode: null,
        handlerType: null,
        priority: null,
        maxAttempts: null,
        metrics: metrics.of(name).snapshot(),
      });
    }
  }
  return listed;
}
