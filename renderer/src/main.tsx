import { createRoot } from 'react-dom/client';

import { App } from './app';
import { createApi } from './carrier';
import { appStore } from './state/app-store';
import './styles.css';

const api = createApi();

api
  .invoke('app:info', {})
  .then((info) =>
    appStore.getState().setConnection({ state: 'connected', ...info }),
  )
  .catch((error: Error) =>
    appStore.getState().setConnection({
      state: 'failed',
      message: error.message,
    }),
  );

const root = document.getElementById('root');
if (root === null) {
  throw new Error('index.html has no #root element');
}
createRoot(root).render(<App />);
