/** What the colours and marks of the ring mean. */
export function RingLegend(): React.JSX.Element {
  return (
    <ul className="legend" aria-label="Legend">
      <li>
        <span className="swatch sw-leader" />
        leader
      </li>
      <li>
        <span className="swatch sw-follower" />
        follower
      </li>
      <li>
        <span className="swatch sw-candidate" />
        candidate
      </li>
      <li>
        <span className="swatch sw-killed" />
        killed
      </li>
      <li>
        <span className="dot dot-append" />
        append
      </li>
      <li>
        <span className="dot dot-vote" />
        vote request
      </li>
      <li>
        <span className="mark">✕</span>link down · a↛b cut one way
      </li>
      <li className="muted">T term · commit/applied</li>
    </ul>
  );
}
