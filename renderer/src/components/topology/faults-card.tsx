import { useState } from 'react';

import { LinkControls } from './link-controls';
import { PartitionBuilder } from './partition-builder';

const TABS = [
  { id: 'partition', label: 'Partition' },
  { id: 'links', label: 'One-way cut & link faults' },
] as const;

/** Network faults: a two-sided partition, or faults on single links. */
export function FaultsCard(): React.JSX.Element {
  const [tab, setTab] = useState<'partition' | 'links'>('partition');
  return (
    <section className="card" aria-label="Network faults">
      <div className="tabs small-tabs" role="tablist" aria-label="Fault kind">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            aria-selected={tab === t.id}
            className={tab === t.id ? 'tab active' : 'tab'}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'partition' ? <PartitionBuilder /> : <LinkControls />}
      </div>
    </section>
  );
}
