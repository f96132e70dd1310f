import { createStore } from 'zustand/vanilla';

import type { HooksListResponse } from '../../../preload/contract';
import { describeError, invoke } from '../api';
import { createPoller } from '../lib/poller';

import { metricsStore } from './metrics-store';

interface HooksState {
  list: HooksListResponse | null;
  error: string | null;
}

/** The applied hooks with their live metrics. */
export const hooksStore = createStore<HooksState>()(() => ({
  list: null,
  error: null,
}));

/** Polls `hooks:list` while a view shows the hooks or their metrics. */
export const hooksPoller = createPoller(async () => {
  try {
    const list = await invoke('hooks:list', {});
    hooksStore.setState({ list, error: null });
    metricsStore.getState().sampleHooks(list);
  } catch (error) {
    hooksStore.setState({ error: describeError(error) });
  }
}, 1000);
