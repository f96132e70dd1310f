import { createRoot } from 'react-dom/client';

import { setApi } from './api';
import { App } from './app';
import { createCarrier } from './carrier';
import { appStore } from './state/app-store';
import { loadInitialState, wirePushes } from './state/connect';
import './styles/base.css';
import './styles/layout.css';
import './styles/time.css';
import './styles/views.css';
import './styles/topology.css';
import './styles/timeline.css';
import './styles/editor.css';

const carrier = createCarrier();
setApi(carrier.api);
wirePushes(carrier.api);

carrier.onLinkState((link) => {
  const { setConnection } = appStore.getState();
  if (link.state === 'closed') {
    setConnection({ state: 'failed', message: link.message });
    return;
  }
  if (link.state === 'connecting') {
    setConnection({ state: 'connecting' });
    return;
  }
  carrier.api
    .invoke('app:info', {})
    .then((info) => {
      setConnection({ state: 'connected', ...info });
      return loadInitialState(carrier.api);
    })
    .catch((error: Error) =>
      setConnection({ state: 'failed', message: error.message }),
    );
});

const root = document.getElementById('root');
if (root === null) {
  throw new Error('index.html has no #root element');
}
createRoot(root).render(<App />);
