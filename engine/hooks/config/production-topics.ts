/**
 * Every hook topic production defines, and whether a stock node ever
 * emits it (reference §2.2). The compatibility report uses it to tell
 * which handlers can fire in production at all.
 *
 * @packageDocumentation
 */

/** One production hook topic. */
export interface ProductionTopic {
  /** Full topic, `hooks.<category>.<leaf>`. */
  topic: string;
  /** Whether some production bridge or emitter publishes it. */
  isEmitted: boolean;
}

const EMITTED = [
  'kv.write_committed',
  'kv.delete_committed',
  'kv.ttl_expired',
  'cluster.leader_elected',
  'cluster.membership_changed',
  'system.snapshot_created',
  'system.snapshot_installed',
  'system.health_changed',
  'blob.blob_added',
  'blob.blob_downloaded',
  'blob.blob_protected',
  'blob.blob_unprotected',
  'forge.push_completed',
  'docs.sync_started',
  'docs.sync_completed',
  'docs.entry_imported',
  'docs.entry_exported',
];

// defined as event types, but nothing in production publishes them
const NEVER_EMITTED = [
  'cluster.node_added',
  'cluster.node_removed',
  'blob.blob_deleted',
  'forge.ref_updated',
  'forge.patch_created',
  'forge.patch_merged',
  'forge.patch_closed',
  'forge.patch_approved',
  'forge.repo_created',
  'ci.pipeline_started',
  'ci.pipeline_completed',
  'ci.pipeline_failed',
  'ci.deploy_completed',
];

/** All production hook topics, emitted ones first. */
export const PRODUCTION_TOPICS: readonly ProductionTopic[] = [
  ...EMITTED.map((suffix) => ({ topic: `hooks.${suffix}`, isEmitted: true })),
  ...NEVER_EMITTED.map((suffix) => ({
    topic: `hooks.${suffix}`,
    isEmitted: false,
  })),
];

/**
 * The event types the hooks plugin accepts from a forward (reference §5,
 * §11): serde names, not the dotted display form production sends.
 */
export const PLUGIN_TRIGGER_EVENT_TYPES = [
  'write_committed',
  'delete_committed',
  'membership_changed',
  'leader_elected',
  'snapshot_created',
] as const;
