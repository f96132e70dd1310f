import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort } from '../../../support/free-port';
import { waitFor } from '../../../support/wait-for';

const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server'];

/** Settings of a test's own nats-server. */
export interface NatsProcessOptions {
  /** Server `max_payload` in bytes; the server default when absent. */
  maxPayload?: number;
  /** Enable JetStream with a scratch store that survives restarts. */
  jetstream?: boolean;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A nats-server a test owns: on a free loopback port, configured by file
 * (2.9 has no `--max_payload` flag), stoppable and restartable on the same
 * port. The run's shared server is never touched.
 */
export class NatsProcess {
  private child: ChildProcess | undefined;
  private stderr = '';

  private constructor(
    private readonly binary: string,
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** `nats://127.0.0.1:port`. */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts a server and waits until it accepts connections. */
  static async start(options: NatsProcessOptions = {}): Promise<NatsProcess> {
    const binary =
      process.env.NATS_SERVER ?? CANDIDATES.find((path) => existsSync(path));
    if (binary === undefined) {
      throw new Error('nats-server not found (set NATS_SERVER)');
    }
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'aspen-forward-nats-'));
    const lines = [`listen: "127.0.0.1:${port}"`];
    if (options.maxPayload !== undefined) {
      lines.push(`max_payload: ${options.maxPayload}`);
    }
    if (options.jetstream === true) {
      lines.push(`jetstream { store_dir: "${join(dir, 'js')}" }`);
    }
    writeFileSync(join(dir, 'nats.conf'), lines.join('\n') + '\n');
    const server = new NatsProcess(binary, port, dir);
    await server.restart();
    return server;
  }

  /** Starts the server again on the same port, with the same store. */
  async restart(): Promise<void> {
    const child = spawn(this.binary, ['-c', join(this.dir, 'nats.conf')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-2000);
    });
    this.child = child;
    await waitFor(() => listening(this.port), {
      timeoutMs: 10_000,
      what: `nats-server on port ${this.port}: ${this.stderr}`,
    });
  }

  /** Stops the server (SIGTERM) and waits for the process to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (
      child === undefined ||
      child.exitCode !== null ||
      child.signalCode !== null
    ) {
      return;
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Stops the server and deletes its files. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
