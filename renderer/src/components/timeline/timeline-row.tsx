import { memo } from 'react';

import { deliveriesOf, deliveryVerdict } from '../../lib/deliveries';
import type { TimelineRow as Row } from '../../lib/timeline-filter';

const TIME = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hour12: false,
});

function summary(payload: unknown): string {
  const text = JSON.stringify(payload) ?? '';
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

function topicClass(topic: string): string {
  if (topic.startsWith('hooks.cluster.')) {
    return 'topic topic-cluster';
  }
  if (topic.startsWith('hooks.')) {
    return 'topic topic-hook';
  }
  return 'topic';
}

interface Props {
  row: Row;
  isSelected: boolean;
  /** Bumped when deliveries may have changed. */
  deliveriesVersion: number;
  onSelect(id: string): void;
}

/** One event or observation of the timeline. */
export const TimelineRowView = memo(function TimelineRowView({
  row,
  isSelected,
  onSelect,
}: Props): React.JSX.Element {
  if (row.kind === 'observation') {
    const { obs } = row;
    return (
      <div
        className={`trow obs obs-${obs.tone} ${isSelected ? 'selected' : ''}`}
        role="row"
        aria-selected={isSelected}
        onClick={() => onSelect(obs.id)}
        data-testid="timeline-observation"
      >
        <span className="tcell tid">@{row.index}</span>
        <span className="tcell ttime">{TIME.format(obs.time)}</span>
        <span className="tcell ttopic">
          {obs.tone === 'fault'
            ? '⚡ fault'
            : obs.tone === 'recover'
              ? '✓ recovery'
              : '• cluster'}
        </span>
        <span className="tcell tsummary">{obs.text}</span>
        <span className="tcell tdeliv" />
      </div>
    );
  }
  const { event } = row;
  const deliveries = deliveriesOf(event.id);
  const verdict = deliveryVerdict(deliveries);
  const count = deliveries.attempts.length + deliveries.jobs.length;
  return (
    <div
      className={`trow ${isSelected ? 'selected' : ''}`}
      role="row"
      aria-selected={isSelected}
      onClick={() => onSelect(event.id)}
      data-testid="timeline-row"
      data-event-id={event.id}
      data-topic={event.topic}
    >
      <span className="tcell tid">{event.id}</span>
      <span className="tcell ttime">
        {event.time > 0 ? TIME.format(event.time) : '–'}
      </span>
      <span className={`tcell ttopic ${topicClass(event.topic)}`}>
        {event.topic}
      </span>
      <span className="tcell tsummary">
        {event.payloadBytes !== undefined
          ? `(${event.payloadBytes} bytes, open to load)`
          : summary(event.payload)}
      </span>
      <span
        className={`tcell tdeliv deliv-${verdict}`}
        data-testid="row-deliveries"
      >
        {verdict === 'none' ? '' : `${count} ${verdict}`}
      </span>
    </div>
  );
});
