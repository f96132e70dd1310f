import { appStore } from '../../state/app-store';
import { timelineStore } from '../../state/timeline-store';

/** An event id that opens the event in the timeline. */
export function EventLink(props: { id: string }): React.JSX.Element {
  return (
    <button
      type="button"
      className="linkish mono"
      onClick={() => {
        timelineStore.getState().reveal(props.id);
        appStore.getState().setView('timeline');
      }}
    >
      {props.id}
    </button>
  );
}

/** The `index.offset` of a job's origin. */
export function originId(
  origin: { eventId: { index: number; offset: number } } | null,
): string | null {
  return origin === null
    ? null
    : `${origin.eventId.index}.${origin.eventId.offset}`;
}
