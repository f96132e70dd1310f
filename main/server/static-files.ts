import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** A file to send: its bytes and content type. */
export interface StaticFile {
  body: Buffer;
  type: string;
}

/**
 * Reads `urlPath` from `root`, or undefined when it is missing or would
 * escape the root. `/` serves index.html.
 */
export async function readStatic(
  root: string,
  urlPath: string,
): Promise<StaticFile | undefined> {
  const relative = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  const path = normalize(
    join(root, relative === '/' ? 'index.html' : relative),
  );
  if (path !== root && !path.startsWith(root + sep)) {
    return undefined;
  }
  try {
    const body = await readFile(path);
    return { body, type: TYPES[extname(path)] ?? 'application/octet-stream' };
  } catch {
    return undefined;
  }
}
