import type { StudioApi } from '../../../preload/contract';
import { describeError } from '../api';
import { indexJobs } from '../lib/deliveries';

import { clusterStore } from './cluster-store';
import { editorStore } from './editor-store';
import { hooksPoller } from './hooks-store';
import { jobsStore } from './jobs-store';
import { startMetricsClock } from './metrics-store';
import { noticeStore } from './notice-store';
import { terminalStore } from './terminal-store';
import { timelineStore } from './timeline-store';
import { timeStore } from './time-store';

/**
 * Routes the service's pushes into the stores, and re-runs a delivery
 * filter of the timeline when deliveries change. Returns the undo.
 */
export function wirePushes(api: StudioApi): () => void {
  let refilterTimer: ReturnType<typeof setTimeout> | undefined;
  const refilterSoon = () => {
    const { filter } = timelineStore.getState();
    const dependsOnDeliveries =
      filter.status === 'delivered' ||
      filter.status === 'failed' ||
      filter.status === 'none' ||
      filter.hook !== '';
    if (dependsOnDeliveries && refilterTimer === undefined) {
      refilterTimer = setTimeout(() => {
        refilterTimer = undefined;
        timelineStore.getState().refilter();
      }, 500);
    }
  };
  const undo = [
    api.on('cluster:status', (status) =>
      clusterStore.getState().setStatus(status),
    ),
    api.on('events:batch', (batch) =>
      timelineStore.getState().receiveBatch(batch),
    ),
    api.on('terminal:output', (output) => {
      terminalStore.getState().receive(output);
      refilterSoon();
    }),
    api.on('time:state', (state) => timeStore.getState().setState(state)),
    api.on('app:notice', (notice) =>
      noticeStore.getState().push(notice.level, notice.message),
    ),
    jobsStore.subscribe((state, previous) => {
      if (state.list !== previous.list) {
        indexJobs(state.list);
        refilterSoon();
      }
    }),
    startMetricsClock(),
  ];
  return () => undo.forEach((stop) => stop());
}

/** Fetches what the pushes only update: status, history, config, hooks. */
export async function loadInitialState(api: StudioApi): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [
    [
      'Cluster status',
      async () =>
        clusterStore
          .getState()
          .setStatus(await api.invoke('cluster:status', {})),
    ],
    [
      'Time control',
      async () =>
        timeStore.getState().setState(await api.invoke('time:state', {})),
    ],
    ['Timeline history', () => timelineStore.getState().loadHistory()],
    ['Hooks config', () => editorStore.getState().load()],
    ['Hooks list', () => hooksPoller.refresh()],
  ];
  await Promise.all(
    steps.map(([what, run]) =>
      run().catch((error: unknown) =>
        noticeStore
          .getState()
          .push('error', `${what}: ${describeError(error)}`),
      ),
    ),
  );
}
