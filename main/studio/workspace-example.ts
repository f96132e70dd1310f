/**
 * The small working example a new workspace starts with: a hooks.toml with
 * a shell hook and a job-mode in-process hook, the handler module it
 * names, a scenario that exercises both, and a payload the scenario reads.
 * The full sample lives in examples/; this one only has to be valid and
 * runnable.
 */
export const EXAMPLE_FILES: Readonly<Record<string, string>> = {
  'hooks.toml': `# Aspen Hook Studio workspace: edit, then apply it from the Hook editor.
[hooks]
enabled = true

[[hooks.handlers]]
name = "order-echo"
pattern = "orders.*"
type = "shell"
command = "echo \\"$ASPEN_HOOK_EVENT_TYPE: $ASPEN_HOOK_EVENT\\""
timeout_ms = 2000

[[hooks.handlers]]
name = "kv-audit"
pattern = "hooks.kv.*"
type = "in_process"
handler_id = "kv-audit"
execution_mode = "job"
retry_count = 3
job_priority = "normal"

[studio]
fidelity = "studio"
`,
  'handlers/kv-audit.mjs': `// Runs in a worker for every committed KV write or delete (job mode).
export default async function kvAudit(event) {
  return { audited: event.payload.key };
}
`,
  'scenarios/smoke.toml': `# Run with: aspen-studio test scenarios/smoke.toml
config = "../hooks.toml"
nodes = 3

[[step]]
publish = { topic = "orders.created", payload_file = "../data/order.json" }

[[step]]
kill = "leader"

[[step]]
kv_put = { key = "config/a", value = "1" }

[[expect]]
events = { pattern = "orders.*", count = 1 }

[[expect]]
events = { pattern = "hooks.kv.write_committed", at_least = 1 }

[[expect]]
leader = true
`,
  'data/order.json': `{ "id": 7, "item": "book", "quantity": 1 }
`,
};
