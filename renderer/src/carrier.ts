import {
  API_GLOBAL,
  type InvokeChannel,
  type InvokeMap,
  type StudioApi,
} from '../../preload/contract';

/**
 * The API the renderer talks through: the Electron preload's bridge when it
 * is there, otherwise browser mode over HTTP with the per-run token taken
 * from the URL fragment.
 */
export function createApi(): StudioApi {
  const bridged = (window as unknown as Record<string, StudioApi | undefined>)[
    API_GLOBAL
  ];
  if (bridged !== undefined) {
    return bridged;
  }
  return createBrowserApi(readToken());
}

function readToken(): string {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const token = params.get('token') ?? sessionStorage.getItem('aspen-token');
  if (token !== null) {
    sessionStorage.setItem('aspen-token', token);
    // keep the token out of the address bar once read
    history.replaceState(null, '', window.location.pathname);
  }
  return token ?? '';
}

function createBrowserApi(token: string): StudioApi {
  return {
    async invoke<C extends InvokeChannel>(
      channel: C,
      request: InvokeMap[C]['request'],
    ): Promise<InvokeMap[C]['response']> {
      const response = await fetch(`/api/${channel}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'x-aspen-token': token,
        },
        body: JSON.stringify(request),
      });
      const body = await response.json();
      if (!response.ok) {
        throw Object.assign(new Error(body.message), { code: body.code });
      }
      return body;
    },
    on() {
      // pushes arrive over the WebSocket carrier, added with the service
      return () => {};
    },
  };
}
