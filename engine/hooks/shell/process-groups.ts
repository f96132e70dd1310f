/**
 * Every live handler process group, so that stopping the studio (or killing
 * a node) leaves no handler process behind. A shell handler runs in its own
 * group: signalling `-pgid` reaches the shell and anything it started.
 */
export class ProcessGroups {
  private readonly groups = new Set<number>();
  private isExitHookInstalled = false;

  /** Tracks a new group leader's pid. */
  add(pgid: number): void {
    this.groups.add(pgid);
    this.installExitHook();
  }

  /** Stops tracking a group whose processes are all gone. */
  delete(pgid: number): void {
    this.groups.delete(pgid);
  }

  /** How many groups are live. */
  get size(): number {
    return this.groups.size;
  }

  /** Sends `signal` to a whole group; false when it is already gone. */
  signal(pgid: number, signal: NodeJS.Signals): boolean {
    try {
      process.kill(-pgid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** SIGKILLs every live group (studio stop, node kill). */
  killAll(): void {
    for (const pgid of this.groups) {
      this.signal(pgid, 'SIGKILL');
    }
    this.groups.clear();
  }

  // process.kill is synchronous, so it still works in an 'exit' listener
  private installExitHook(): void {
    if (this.isExitHookInstalled) {
      return;
    }
    this.isExitHookInstalled = true;
    process.once('exit', () => this.killAll());
  }
}

/** The process-wide registry the shell runner uses by default. */
export const handlerProcessGroups = new ProcessGroups();
