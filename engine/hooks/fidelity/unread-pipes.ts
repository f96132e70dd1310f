import { execFile } from 'node:child_process';
import { close, closeSync, constants, open, readSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const openAsync = promisify(open);
const closeAsync = promisify(close);

/**
 * Most stderr bytes production reads, in a single read, after a non-zero
 * exit (`MAX_SHELL_OUTPUT_SIZE`, reference §1.6, §4).
 */
export const PRODUCTION_STDERR_BYTES = 65_536;

/**
 * A shell handler's stdout and stderr as a production node sets them up
 * (reference §4): plain pipes whose read ends this process holds and never
 * reads while the command runs. A command that writes more than a pipe
 * holds (64 KiB on Linux) blocks until its timeout, as it would there.
 *
 * Node's own `pipe` stdio cannot stand in: it is a socket pair, which
 * holds several times more, and Node reads ahead from it into its own
 * buffers. A FIFO opened at both ends and then unlinked is a plain pipe
 * that nothing else can open.
 */
export class UnreadPipes {
  private isClosed = false;

  private constructor(
    private readonly reads: readonly [number, number],
    private writes: number[],
  ) {}

  /** Makes the two pipes; throws when the system has no `mkfifo`. */
  static async open(): Promise<UnreadPipes> {
    const dir = await mkdtemp(join(tmpdir(), 'aspen-pipes-'));
    const opened: number[] = [];
    try {
      for (const name of ['stdout', 'stderr']) {
        const path = join(dir, name);
        await execFileAsync('mkfifo', ['-m', '600', path]);
        // the read end first and without blocking, so that opening the
        // write end finds a reader and returns at once; the write end
        // stays blocking, as the command's stdout is in production
        opened.push(
          await openAsync(path, constants.O_RDONLY | constants.O_NONBLOCK),
        );
        opened.push(await openAsync(path, constants.O_WRONLY));
      }
    } catch (error) {
      await Promise.all(opened.map((fd) => closeAsync(fd)));
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const [outRead, outWrite, errRead, errWrite] = opened as [
      number,
      number,
      number,
      number,
    ];
    return new UnreadPipes([outRead, errRead], [outWrite, errWrite]);
  }

  /** The command's stdout and stderr descriptors, for `spawn`. */
  get stdout(): number {
    return this.writes[0]!;
  }

  /** See {@link UnreadPipes.stdout}. */
  get stderr(): number {
    return this.writes[1]!;
  }

  /**
   * Closes this process's copies of the write ends once the command has
   * them, so the pipes end when the command's group lets go of them.
   */
  releaseWriteEnds(): void {
    for (const fd of this.writes) {
      closeSync(fd);
    }
    this.writes = [];
  }

  /**
   * One non-blocking read of stderr, as production does after a non-zero
   * exit: whatever the pipe holds, at most {@link PRODUCTION_STDERR_BYTES}.
   */
  readStderrOnce(): Uint8Array {
    if (this.isClosed) {
      return new Uint8Array(0);
    }
    const buffer = Buffer.alloc(PRODUCTION_STDERR_BYTES);
    try {
      const bytes = readSync(this.reads[1], buffer, 0, buffer.length, null);
      return buffer.subarray(0, bytes);
    } catch {
      // EAGAIN: a writer is still alive and nothing was written
      return new Uint8Array(0);
    }
  }

  /** Closes everything; a writer left in the group then gets SIGPIPE. */
  close(): void {
    if (this.isClosed) {
      return;
    }
    this.isClosed = true;
    this.releaseWriteEnds();
    for (const fd of this.reads) {
      closeSync(fd);
    }
  }
}
