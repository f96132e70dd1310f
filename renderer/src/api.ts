import type {
  InvokeChannel,
  InvokeMap,
  StudioApi,
} from '../../preload/contract';

let current: StudioApi | undefined;

/** Installs the carrier's API; main.tsx calls it once at start. */
export function setApi(api: StudioApi): void {
  current = api;
}

/** The API the stores talk through. */
export function studioApi(): StudioApi {
  if (current === undefined) {
    throw new Error('the studio API is not connected yet');
  }
  return current;
}

/** Sends one request; rejects with an Error whose message says why. */
export function invoke<C extends InvokeChannel>(
  channel: C,
  request: InvokeMap[C]['request'],
): Promise<InvokeMap[C]['response']> {
  return studioApi().invoke(channel, request);
}

/** The `code` and message of whatever a request rejected with. */
export function describeError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof message === 'string') {
      return typeof code === 'string' ? `${code}: ${message}` : message;
    }
  }
  return String(error);
}
