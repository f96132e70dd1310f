import type { Arg, Block } from './datadriven';
import type { ClusterOptions } from './cluster-options';
import { Harness } from './harness';
import { formatConf, formatEntries, formatMessage } from './trace-format';
import type { TestingBugs } from '../../../engine/raft/raft-node';
import type {
  ConfChange,
  MessageType,
  NodeId,
} from '../../../engine/raft/types';

/**
 * The commands the Raft scripts in testdata/ use, over one {@link Harness}
 * created by `add-nodes`. Each returns the trace lines it produced.
 */
export class ScriptRunner {
  private harness: Harness | undefined;

  run(block: Block): string {
    const start = this.harness?.trace.length ?? 0;
    const extra = this.dispatch(block.command, block.args);
    const trace = this.harness?.trace.slice(start) ?? [];
    return [...trace, ...extra].join('\n');
  }

  private get h(): Harness {
    if (this.harness === undefined) {
      throw new Error('add-nodes first');
    }
    return this.harness;
  }

  private dispatch(command: string, args: Arg[]): string[] {
    const h = () => this.h;
    const ids = positional(args);
    switch (command) {
      case 'add-nodes':
        return this.addNodes(args);
      case 'add-empty-node':
        h().addEmptyNode(ids[0]!);
        return [];
      case 'campaign':
        h().node(ids[0]!).campaign();
        return [];
      case 'tick':
        for (const id of ids) {
          h().tick(id, Number(option(args, 'count') ?? 1));
        }
        return [];
      case 'tick-heartbeat':
        for (const id of ids) {
          h().tick(id, this.h.options.heartbeatTicks ?? 1);
        }
        return [];
      case 'tick-election':
        return [this.tickElection(ids)];
      case 'propose':
        return [h().propose(ids[0]!, word(args, 1))];
      case 'propose-conf-change':
        return [this.confChange(ids[0]!, word(args, 1), Number(word(args, 2)))];
      case 'read-index':
        h()
          .node(ids[0]!)
          .readIndex(Number(word(args, 1)));
        return [];
      case 'transfer-leadership':
        return [attempt(() => h().node(ids[0]!).transferLeadership(ids[1]!))];
      case 'process-ready':
        for (const id of ids) {
          h().processReady(id, option(args, 'sync') !== 'false');
        }
        return [];
      case 'sync':
        ids.forEach((id) => h().sync(id));
        return [];
      case 'deliver-msgs':
        h().deliver(
          {
            from: numberOption(args, 'from'),
            to: numberOption(args, 'to'),
            type: option(args, 'type') as MessageType | undefined,
          },
          option(args, 'drop') === 'true',
        );
        return [];
      case 'stabilize':
        h().stabilize(ids.length > 0 ? ids : undefined);
        return [];
      case 'isolate':
        h().isolate(ids[0]!);
        return [];
      case 'cut':
        h().cut(ids[0]!, ids[1]!);
        return [];
      case 'heal':
        h().heal();
        return [];
      case 'crash':
        ids.forEach((id) => h().crash(id));
        return [];
      case 'restart':
        ids.forEach((id) => h().restart(id));
        return [];
      case 'compact':
        return [attempt(() => h().compact(ids[0]!, Number(word(args, 1))))];
      case 'replay':
        return [this.replay(ids[0]!, ids[1]!, Number(option(args, 'first')))];
      case 'reorder-hard-state':
        h().peer(ids[0]!).store.reorderHardState = true;
        return [];
      case 'status':
        return (ids.length > 0 ? ids : h().ids()).map((id) => this.status(id));
      case 'durable-log':
        return ids.map((id) => {
          const state = h().peer(id).store.load();
          const snap = state.snapshot?.meta;
          const base = snap ? `snapshot=${snap.index}/${snap.term} ` : '';
          const { term, vote, commit } = state.hardState;
          return `${id}: ${base}term=${term} vote=${vote} commit=${commit} ${formatEntries(state.entries)}`;
        });
      case 'applied':
        return ids.map(
          (id) =>
            `${id}: ${h()
              .peer(id)
              .applied.map((e) => `${e.index}/${e.term}:${e.data}`)
              .join(' ')}`,
        );
      case 'check':
        return this.check(ids);
      default:
        throw new Error(`unknown command ${command}`);
    }
  }

  private addNodes(args: Arg[]): string[] {
    const count = Number(args[0]!.key);
    const options: ClusterOptions = {
      preVote: boolOption(args, 'prevote'),
      checkQuorum: boolOption(args, 'checkquorum'),
      electionTicks: numberOption(args, 'election'),
      heartbeatTicks: numberOption(args, 'heartbeat'),
      maxInflightMsgs: numberOption(args, 'inflight'),
      maxSizePerMsg: numberOption(args, 'max-size'),
      snapshotChunkBytes: numberOption(args, 'chunk'),
      compactionTrailingEntries: numberOption(args, 'trailing'),
      seed: numberOption(args, 'seed'),
      logLines: option(args, 'log') !== 'false',
      testingBugs: Object.fromEntries(
        (args.find((a) => a.key === 'bugs')?.values ?? []).map((b) => [
          b,
          true,
        ]),
      ) as TestingBugs,
    };
    this.harness ??= new Harness(options);
    const start = this.h.ids().length + 1;
    const ids = Array.from({ length: count }, (_, i) => start + i);
    const learners = (args.find((a) => a.key === 'learners')?.values ?? []).map(
      Number,
    );
    const voters = ids.filter((id) => !learners.includes(id));
    this.h.addNodes(ids, { voters, learners });
    return ids.map((id) => this.status(id));
  }

  /**
   * Puts a copy of the first append `from` sent `to` whose entries start
   * at `first` at the head of the queue: a delayed duplicate overtaking
   * newer traffic.
   */
  private replay(from: NodeId, to: NodeId, first: number): string {
    const sent = this.h.history.find(
      (m) =>
        m.type === 'app' &&
        m.from === from &&
        m.to === to &&
        m.entries[0]?.index === first,
    );
    if (sent === undefined) {
      throw new Error(`no append from ${from} to ${to} to replay`);
    }
    this.h.queue.unshift({ ...sent, entries: sent.entries.slice() });
    return `replaying ${formatMessage(sent)}`;
  }

  /**
   * Ticks `ids` in lockstep until one of them changes role or term (it
   * timed out), or for two election timeouts.
   */
  private tickElection(ids: NodeId[]): string {
    const before = ids.map((id) => this.h.node(id).status());
    const limit = 2 * (this.h.options.electionTicks ?? 10);
    for (let i = 1; i <= limit; i++) {
      const changed: string[] = [];
      ids.forEach((id, k) => {
        const node = this.h.node(id);
        node.tick();
        const now = node.status();
        if (now.role !== before[k]!.role || now.term !== before[k]!.term) {
          changed.push(`${id}: ${before[k]!.role} -> ${now.role}`);
        }
      });
      if (changed.length > 0) {
        return `${changed.join(', ')} after ${i} ticks`;
      }
    }
    return `no change after ${limit} ticks`;
  }

  private confChange(id: NodeId, type: string, node: NodeId): string {
    const change = { type, node } as ConfChange;
    try {
      const { index, term } = this.h.node(id).proposeConfChange(change);
      return `${index}/${term}`;
    } catch (error) {
      return (error as { code?: string }).code ?? String(error);
    }
  }

  private status(id: NodeId): string {
    const peer = this.h.peer(id);
    if (peer.node === undefined) {
      return `${id}: down`;
    }
    const s = peer.node.status();
    return `${id}: ${s.role} term=${s.term} vote=${s.vote} leader=${s.leader} commit=${s.commit} applied=${s.applied} log=${s.firstIndex}..${s.lastIndex} ${formatConf(s.conf)}`;
  }

  private check(ids: NodeId[]): string[] {
    const voters = ids.length > 0 ? ids : this.h.ids();
    const problems = [...this.h.violations, ...this.h.underReplicated(voters)];
    return problems.length > 0 ? problems : ['ok'];
  }
}

function positional(args: Arg[]): NodeId[] {
  return args
    .filter((a) => a.values.length === 0 && /^\d+$/.test(a.key))
    .map((a) => Number(a.key));
}

function word(args: Arg[], at: number): string {
  return args.filter((a) => a.values.length === 0)[at]?.key ?? '';
}

function option(args: Arg[], key: string): string | undefined {
  return args.find((a) => a.key === key)?.values[0];
}

function numberOption(args: Arg[], key: string): number | undefined {
  const value = option(args, key);
  return value === undefined ? undefined : Number(value);
}

function boolOption(args: Arg[], key: string): boolean | undefined {
  const value = option(args, key);
  return value === undefined ? undefined : value === 'true';
}

function attempt(action: () => void): string {
  try {
    action();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}
