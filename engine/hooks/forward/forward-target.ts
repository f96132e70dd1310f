import { checkSubject, InvalidSubjectError } from '../../pubsub/subject';
import { AspenError } from '../../util/errors';

/**
 * Most UTF-8 bytes in a subject forwarded to NATS: nats-server's default
 * 4096-byte control line (`max_control_line`) less 128 bytes for the verb,
 * the JetStream reply inbox and the two sizes. A longer `PUB` line makes the
 * server drop the whole connection, and with it every other forward on it,
 * so such a subject is refused before it is sent.
 */
export const MAX_NATS_SUBJECT_BYTES = 3968;

/** The port a `nats://` URL without one means (NATS's client port). */
export const DEFAULT_NATS_PORT = 4222;

/** Where a forward handler sends its events. */
export type ForwardTarget =
  | {
      kind: 'nats';
      /** Normalised `nats://host:port`: the key of the shared connection. */
      url: string;
      /** The subject to publish to (a valid NATS subject, no wildcard). */
      subject: string;
    }
  | {
      kind: 'cluster';
      /** Name of the second local cluster the studio runs for it. */
      name: string;
      /** The topic published on that cluster. */
      topic: string;
    };

/** A forward handler's `target_cluster` or `target_topic` is unusable. */
export class InvalidForwardTargetError extends AspenError {
  /** Which key of the handler is wrong. */
  readonly field: 'target_cluster' | 'target_topic';

  constructor(
    field: 'target_cluster' | 'target_topic',
    message: string,
    options?: ErrorOptions,
  ) {
    super('INVALID_FORWARD_TARGET', `${field}: ${message}`, options);
    this.name = 'InvalidForwardTargetError';
    this.field = field;
  }
}

// a ticket is base32 and has no colon, so anything with a scheme is a URL
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const STUDIO_PREFIX = 'studio:';
const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Why NATS cannot take a subject, or undefined when it can: the studio's
 * subject grammar (`engine/pubsub/subject.ts`) plus
 * {@link MAX_NATS_SUBJECT_BYTES}.
 */
export function natsSubjectProblem(subject: string): string | undefined {
  const problem = checkSubject(subject);
  if (problem !== undefined) {
    return new InvalidSubjectError(subject, problem).message;
  }
  const bytes = Buffer.byteLength(subject, 'utf8');
  if (bytes > MAX_NATS_SUBJECT_BYTES) {
    return (
      `subject is ${bytes} bytes; NATS takes at most ` +
      `${MAX_NATS_SUBJECT_BYTES} (its 4 KiB protocol line)`
    );
  }
  return undefined;
}

function parseNatsUrl(text: string): string {
  const fail = (why: string, cause?: unknown) =>
    new InvalidForwardTargetError(
      'target_cluster',
      `${JSON.stringify(text)} ${why}`,
      cause === undefined ? undefined : { cause },
    );
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw fail('is not a valid URL', error);
  }
  if (url.protocol !== 'nats:') {
    throw fail('is not a nats:// URL (the only scheme a forward takes)');
  }
  if (url.hostname === '') {
    throw fail('names no host');
  }
  if (url.username !== '' || url.password !== '') {
    // hooks.toml is meant to be committed; credentials do not belong in it
    throw fail('carries credentials, which hooks.toml must not hold');
  }
  const hasPath = url.pathname !== '' && url.pathname !== '/';
  if (hasPath || url.search !== '' || url.hash !== '') {
    throw fail('has a path, query or fragment; use nats://host:port');
  }
  const port = url.port === '' ? DEFAULT_NATS_PORT : Number(url.port);
  return `nats://${url.hostname}:${port}`;
}

function clusterName(targetCluster: string): string {
  if (!targetCluster.startsWith(STUDIO_PREFIX)) {
    if (/\s/.test(targetCluster)) {
      throw new InvalidForwardTargetError(
        'target_cluster',
        `${JSON.stringify(targetCluster)} is neither a nats:// URL, ` +
          'studio:<name> nor a cluster ticket (it contains whitespace)',
      );
    }
    return targetCluster;
  }
  const name = targetCluster.slice(STUDIO_PREFIX.length);
  if (!CLUSTER_NAME.test(name)) {
    throw new InvalidForwardTargetError(
      'target_cluster',
      `${JSON.stringify(targetCluster)}: a studio cluster name is 1 to 64 ` +
        'letters, digits, "-" or "_"',
    );
  }
  return name;
}

/**
 * Reads a forward handler's target from its two `hooks.toml` keys.
 *
 * Production's `target_cluster` is a cluster ticket (`aspen…`, base32) and
 * `target_topic` a topic that production never sends (reference §5). The
 * studio reads `target_cluster` three ways:
 *
 * - a `nats://host[:port]` URL (port 4222 when omitted) forwards to that
 *   NATS server, publishing to `target_topic` as the subject. The subject
 *   must be a valid studio subject (no wildcard) of at most
 *   {@link MAX_NATS_SUBJECT_BYTES}. Credentials, paths and other schemes
 *   (`tls://`, `ws://`) are refused.
 * - `studio:<name>` forwards to a second local cluster of that name
 *   (letters, digits, `-` and `_`, at most 64 of them).
 * - anything else without a scheme (no `word:` prefix), such as a
 *   production ticket, is also the name of a second local cluster, so an
 *   imported production config runs without edits: the ticket string names
 *   the cluster. Any other `scheme:` is an error, so `localhost:4222` does
 *   not silently become a cluster name.
 *
 * For the cluster forms `target_topic` must be a valid studio subject too.
 *
 * @param targetCluster - The handler's `target_cluster`.
 * @param targetTopic - The handler's `target_topic`.
 * @returns The parsed target.
 * @throws {@link InvalidForwardTargetError} naming the key and what is wrong
 *   with it.
 */
export function parseForwardTarget(
  targetCluster: string,
  targetTopic: string,
): ForwardTarget {
  if (targetCluster === '') {
    throw new InvalidForwardTargetError('target_cluster', 'cannot be empty');
  }
  if (targetTopic === '') {
    throw new InvalidForwardTargetError('target_topic', 'cannot be empty');
  }

  const isStudio = targetCluster.startsWith(STUDIO_PREFIX);
  if (!isStudio && SCHEME.test(targetCluster)) {
    const url = parseNatsUrl(targetCluster);
    const problem = natsSubjectProblem(targetTopic);
    if (problem !== undefined) {
      throw new InvalidForwardTargetError('target_topic', problem);
    }
    return { kind: 'nats', url, subject: targetTopic };
  }

  const name = clusterName(targetCluster);
  const problem = checkSubject(targetTopic);
  if (problem !== undefined) {
    const message = new InvalidSubjectError(targetTopic, problem).message;
    throw new InvalidForwardTargetError('target_topic', message);
  }
  return { kind: 'cluster', name, topic: targetTopic };
}
