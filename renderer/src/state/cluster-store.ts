import { createStore } from 'zustand/vanilla';

import type {
  ClusterStatus,
  InvokeChannel,
  InvokeMap,
} from '../../../preload/contract';
import { describeError, invoke } from '../api';
import { isLinkOpen } from '../lib/quorum';
import { appliedIndex, statusChanges } from '../lib/status-observations';

import { noticeStore } from './notice-store';
import { timelineStore } from './timeline-store';
import { slowMotion } from './time-store';

/** A message drawn travelling along a link for a moment. */
export interface Pulse {
  id: number;
  from: number;
  to: number;
  kind: 'append' | 'ack' | 'vote';
}

interface ClusterState {
  status: ClusterStatus | null;
  /** The node the controls act on. */
  selected: number | null;
  /** The label of the action in flight, if any. */
  busy: string | null;
  pulses: Pulse[];
  setStatus(status: ClusterStatus): void;
  select(node: number | null): void;
  act<C extends ClusterChannel>(
    label: string,
    channel: C,
    request: InvokeMap[C]['request'],
  ): Promise<boolean>;
}

type ClusterChannel = Extract<InvokeChannel, `cluster:${string}`>;

const PULSE_MS = 900;
let pulseSeq = 0;

// infers messages from what changed: a leader whose log or commit moved
// sent appends and got answers; a node that turned candidate asked for
// votes. The contract carries no per-message feed, so this is a sketch
// of the traffic, not a trace of it
function inferPulses(before: ClusterStatus | null, after: ClusterStatus) {
  const pulses: Pulse[] = [];
  if (before === null) {
    return pulses;
  }
  const running = after.nodes.filter((node) => node.state === 'running');
  const was = new Map(before.nodes.map((node) => [node.id, node]));
  const add = (from: number, to: number, kind: Pulse['kind']) => {
    if (isLinkOpen(after, from, to)) {
      pulses.push({ id: ++pulseSeq, from, to, kind });
    }
  };
  for (const node of running) {
    const old = was.get(node.id);
    const isCampaigning =
      (node.role === 'candidate' || node.role === 'preCandidate') &&
      (old?.role !== node.role || old.term !== node.term);
    if (isCampaigning) {
      running.forEach(
        (peer) => peer.id !== node.id && add(node.id, peer.id, 'vote'),
      );
    }
    const hasMoved =
      old !== undefined &&
      (old.lastIndex !== node.lastIndex || old.commit !== node.commit);
    if (node.role === 'leader' && (hasMoved || before.leader !== node.id)) {
      for (const peer of running) {
        if (peer.id !== node.id) {
          add(node.id, peer.id, 'append');
          add(peer.id, node.id, 'ack');
        }
      }
    }
  }
  return pulses;
}

/** The cluster as the top bar and the topology view show it. */
export const clusterStore = createStore<ClusterState>()((set, get) => ({
  status: null,
  selected: null,
  busy: null,
  pulses: [],
  setStatus: (status) => {
    const before = get().status;
    const index = appliedIndex(status);
    for (const change of statusChanges(before, status)) {
      timelineStore.getState().addObservation(index, change.text, change.tone);
    }
    const pulses = inferPulses(before, status);
    set((state) => ({
      status,
      pulses:
        pulses.length === 0
          ? state.pulses
          : [...state.pulses, ...pulses].slice(-60),
    }));
    if (pulses.length > 0) {
      const ids = new Set(pulses.map((pulse) => pulse.id));
      setTimeout(() => {
        set((state) => ({
          pulses: state.pulses.filter((pulse) => !ids.has(pulse.id)),
        }));
      }, PULSE_MS * slowMotion());
    }
  },
  select: (selected) => set({ selected }),
  act: async (label, channel, request) => {
    set({ busy: label });
    try {
      const response = await invoke(channel, request);
      const status = 'status' in response ? response.status : response;
      get().setStatus(status as ClusterStatus);
      return true;
    } catch (error) {
      noticeStore.getState().push('error', `${label}: ${describeError(error)}`);
      return false;
    } finally {
      set({ busy: null });
    }
  },
}));
