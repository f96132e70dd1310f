import { useStore } from 'zustand';

import { appStore } from '../state/app-store';

import { HookEditorView } from './editor/hook-editor-view';
import { JobsView } from './jobs/jobs-view';
import { MetricsView } from './metrics/metrics-view';
import { TimelineView } from './timeline/timeline-view';
import { TopologyView } from './topology/topology-view';

/** The current view of the rail. */
export function MainView(): React.JSX.Element {
  const view = useStore(appStore, (state) => state.view);
  switch (view) {
    case 'topology':
      return <TopologyView />;
    case 'hooks':
      return <HookEditorView />;
    case 'timeline':
      return <TimelineView />;
    case 'jobs':
      return <JobsView />;
    case 'metrics':
      return <MetricsView />;
  }
}
