import type { HardState, Message, NodeId } from '../../raft/types';
import { holdsEntry, type LogView } from '../log-view';

import type { ReportFailure } from './election-safety';

/** What one node's storage holds durably (survives a crash). */
export interface DurableView {
  hardState: HardState;
  log: LogView;
}

/** Reads a node's durable state; `undefined` for a node with no storage. */
export type DurableLookup = (node: NodeId) => DurableView | undefined;

/**
 * Checks that what Raft promises is on disk really is:
 * - a message that depends on state leaves only once that state is
 *   durable (§5.1, DESIGN §3.1): a granted vote or a vote request once the
 *   vote is, an accepted append once its entries and term are;
 * - a committed entry is durable on a majority of the voters it was
 *   committed under.
 *
 * Which configuration an entry was committed under depends on when the core
 * switches configurations (on append, as in the thesis §4.1, or on commit),
 * and a commit noticed one event late may straddle a switch. Callers pass
 * every configuration the leader could have counted with; a majority of any
 * one is accepted. Single-server changes make the majorities of adjacent
 * configurations overlap (thesis §4.1), so this still catches an entry
 * counted on acknowledgements that were not durable.
 */
export class Durability {
  constructor(
    private readonly report: ReportFailure,
    private readonly durable: DurableLookup,
  ) {}

  /** Checks a message as it leaves `message.from`. */
  reply(message: Message): void {
    const isGrantedVote = message.type === 'voteResp' && !message.reject;
    const isAcceptedAppend = message.type === 'appResp' && !message.reject;
    const isCampaign = message.type === 'vote';
    if (!isGrantedVote && !isAcceptedAppend && !isCampaign) {
      return;
    }
    const view = this.durable(message.from);
    if (view === undefined) {
      return;
    }
    const { hardState, log } = view;
    const who = `n${message.from}`;

    if (hardState.term < message.term) {
      this.report(
        `durability: ${who} sent ${message.type} in term ${message.term} ` +
          `with term ${hardState.term} on disk`,
      );
      return;
    }
    // a candidate's vote for itself counts too: it must not forget it
    const votedFor = isCampaign ? message.from : message.to;
    const isVote = isGrantedVote || isCampaign;
    if (isVote && hardState.term === message.term) {
      if (hardState.vote !== votedFor) {
        this.report(
          `durability: ${who} sent ${message.type} in term ${message.term} ` +
            `having voted n${votedFor}, with vote n${hardState.vote} on disk`,
        );
      }
    }
    if (isAcceptedAppend && log.lastIndex < message.index) {
      this.report(
        `durability: ${who} acknowledged index ${message.index} with ` +
          `only ${log.lastIndex} on disk`,
      );
    }
  }

  /**
   * Checks that (index, term), just seen committed, is durable on a
   * majority of at least one of `voterSets`.
   */
  committed(index: number, term: number, voterSets: readonly NodeId[][]) {
    let best = '';
    for (const voters of voterSets) {
      const holders = voters.filter((id) => {
        const view = this.durable(id);
        return view !== undefined && holdsEntry(view.log, index, term);
      });
      if (holders.length * 2 > voters.length) {
        return;
      }
      best = `on [${holders.join(',')}] of voters [${voters.join(',')}]`;
    }
    if (voterSets.length > 0) {
      this.report(
        `durability: committed (${index}, term ${term}) only durable ${best}`,
      );
    }
  }
}
