import type { StudioProcess } from './studio-process';

/**
 * Applies a config through the service and says whether a hook
 * dispatcher runs behind it; the tests that need running handlers are
 * skipped, with this reason, until one does.
 */
export async function applyAndCheckDispatch(
  studio: StudioProcess,
  text: string,
): Promise<{ isDispatching: boolean; reason: string }> {
  await studio.invoke('config:apply', { text });
  const list = await studio.invoke('hooks:list', {});
  return {
    isDispatching: list.isDispatching,
    reason:
      'blocked on the hooks dispatcher: hooks:list reports isDispatching=false ' +
      '(the studio service still runs noHookRuntime), so no handler runs',
  };
}
