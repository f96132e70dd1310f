/**
 * Polls while anyone wants it: `acquire()` starts the loop on first use
 * and returns the release; the loop stops when the last user releases.
 * One request is in flight at a time, so a slow service is never queued
 * up with requests.
 */
export function createPoller(
  run: () => Promise<void>,
  intervalMs: number,
): { acquire(): () => void; refresh(): Promise<void> } {
  let users = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;

  const refresh = () => {
    running ??= run()
      .catch(() => {})
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const loop = () => {
    void refresh().then(() => {
      if (users > 0) {
        timer = setTimeout(loop, intervalMs);
      }
    });
  };

  return {
    acquire() {
      users += 1;
      if (users === 1) {
        loop();
      }
      let isReleased = false;
      return () => {
        if (isReleased) {
          return;
        }
        isReleased = true;
        users -= 1;
        if (users === 0) {
          clearTimeout(timer);
        }
      };
    },
    refresh,
  };
}
