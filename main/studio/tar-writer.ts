import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

/** One file of an archive. */
export interface TarEntry {
  /** Relative path with `/` separators, at most 255 bytes. */
  name: string;
  data: string | Uint8Array;
  /** Modification time. @defaultValue now */
  mtime?: Date;
}

const BLOCK = 512;

/**
 * A gzip-compressed POSIX ustar archive of regular files, which `tar xzf`
 * and every archive tool reads. Only what a diagnostics bundle needs:
 * files (no folders, links or modes), names up to 255 bytes, each under
 * 8 GiB.
 */
export async function tarGz(entries: TarEntry[]): Promise<Buffer> {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data =
      typeof entry.data === 'string'
        ? Buffer.from(entry.data, 'utf8')
        : Buffer.from(entry.data);
    blocks.push(header(entry.name, data.length, entry.mtime ?? new Date()));
    blocks.push(data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    blocks.push(Buffer.alloc(pad));
  }
  // the end of an archive is two zero blocks
  blocks.push(Buffer.alloc(2 * BLOCK));
  return promisify(gzip)(Buffer.concat(blocks));
}

function header(name: string, size: number, mtime: Date): Buffer {
  const block = Buffer.alloc(BLOCK);
  const [prefix, base] = splitName(name);
  block.write(base, 0, 100, 'utf8');
  writeOctal(block, 100, 8, 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, Math.floor(mtime.getTime() / 1000));
  block.write('0', 156, 1, 'ascii');
  block.write('ustar\u000000', 257, 8, 'ascii');
  block.write(prefix, 345, 155, 'utf8');

  // the checksum is summed with its own field read as eight spaces
  block.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of block) {
    sum += byte;
  }
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

// ustar keeps up to 100 bytes of name and a 155-byte folder prefix
function splitName(name: string): [string, string] {
  if (Buffer.byteLength(name) <= 100) {
    return ['', name];
  }
  for (let at = name.indexOf('/'); at >= 0; at = name.indexOf('/', at + 1)) {
    const prefix = name.slice(0, at);
    const base = name.slice(at + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100) {
      return [prefix, base];
    }
  }
  throw new RangeError(`name too long for a tar archive: ${name}`);
}

function writeOctal(block: Buffer, at: number, width: number, n: number) {
  const digits = n.toString(8).padStart(width - 1, '0');
  if (digits.length > width - 1) {
    throw new RangeError(`${n} does not fit a ${width}-byte tar field`);
  }
  block.write(`${digits}\u0000`, at, width, 'ascii');
}
