// A bare JSON-over-HTTP client on node:http: etcd's JSON gateway and our
// browser-mode API are both spoken this way, with keep-alive agents, so
// neither side pays for a client library the other does not use.
import { Agent, request } from 'node:http';

/** A response: its status and parsed body. */
export interface JsonResponse {
  status: number;
  body: unknown;
}

/** One loopback HTTP endpoint with its own keep-alive pool. */
export class JsonEndpoint {
  readonly agent: Agent;

  /**
   * @param maxSockets - connections kept to this endpoint; a client that
   *   has its own connection never queues behind another.
   */
  constructor(
    readonly host: string,
    readonly port: number,
    maxSockets = Infinity,
    private readonly headers: Record<string, string> = {},
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** POSTs `body` as JSON; rejects on a timeout or a socket error only. */
  post(path: string, body: unknown, timeoutMs = 10_000): Promise<JsonResponse> {
    const data = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          path,
          method: 'POST',
          agent: this.agent,
          timeout: timeoutMs,
          headers: {
            ...this.headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(data),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
            } catch {
              resolve({ status: res.statusCode ?? 0, body: text });
            }
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`timed out after ${timeoutMs} ms`)),
      );
      req.on('error', reject);
      req.end(data);
    });
  }

  /** POSTs and rejects unless the status is 2xx; resolves with the body. */
  async call(path: string, body: unknown, timeoutMs?: number) {
    const response = await this.post(path, body, timeoutMs);
    if (response.status < 200 || response.status > 299) {
      const text = JSON.stringify(response.body).slice(0, 300);
      throw new Error(`${path}: HTTP ${response.status} ${text}`);
    }
    return response.body;
  }

  close(): void {
    this.agent.destroy();
  }
}
