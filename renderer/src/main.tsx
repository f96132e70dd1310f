import { createRoot } from 'react-dom/client';

import { App } from './app';
import { createCarrier } from './carrier';
import { appStore } from './state/app-store';
import './styles.css';

const carrier = createCarrier();

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
    .then((info) => setConnection({ state: 'connected', ...info }))
    .catch((error: Error) =>
      setConnection({ state: 'failed', message: error.message }),
    );
});

const root = document.getElementById('root');
if (root === null) {
  throw new Error('index.html has no #root element');
}
createRoot(root).render(<App />);
