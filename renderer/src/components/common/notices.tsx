import { useStore } from 'zustand';

import { noticeStore } from '../../state/notice-store';

/** Messages for the user in the corner; each can be dismissed. */
export function Notices(): React.JSX.Element {
  const notices = useStore(noticeStore, (state) => state.notices);
  return (
    <div className="notices" aria-live="polite" data-testid="notices">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.level}`}>
          <span>{notice.message}</span>
          <button
            type="button"
            className="ghost small"
            aria-label="Dismiss"
            onClick={() => noticeStore.getState().dismiss(notice.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
