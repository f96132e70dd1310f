// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openBrowser, type TestBrowser } from '../support/browser';
import { scaled } from '../support/time-scale';
import { waitFor } from '../support/wait-for';

import {
  openStudioPage,
  ringRoles,
  shoot,
  waitForConvergence,
  waitForRingLeader,
} from './support/studio-page';
import { startStudio, type StudioProcess } from './support/studio-process';

describe('topology against a real cluster', () => {
  let studio: StudioProcess;
  let browser: TestBrowser;

  beforeAll(async () => {
    studio = await startStudio();
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('shows three nodes and exactly one leader at start', async () => {
    const { page } = browser;
    await openStudioPage(page, studio);
    const leader = await waitForRingLeader(page, { nodes: 3 });

    const roles = await ringRoles(page);
    expect(roles.size).toBe(3);
    expect([...roles.values()].filter((r) => r === 'leader')).toHaveLength(1);
    await expect
      .poll(() => page.getByTestId('health-leader').textContent())
      .toBe(`leader n${leader}`);
    await shoot(page, 'cluster-1-start');
    expect(browser.problems).toEqual([]);
  });

  it('shows a new leader after the leader is killed, and the election in the timeline', async () => {
    const { page } = browser;
    const old = await waitForRingLeader(page, { nodes: 3 });

    await page.getByTestId('kill-leader').click();
    const next = await waitForRingLeader(page, { not: old });
    expect((await ringRoles(page)).get(old)).toBe('killed');
    await shoot(page, 'cluster-2-new-leader');

    // the election is an entry of the log: find its index from the service
    const election = await waitFor(
      async () => {
        const { events } = await studio.invoke('events:range', {
          pattern: 'hooks.cluster.leader_elected',
          limit: 1000,
        });
        return events.find(
          (e) =>
            (e.payload as { new_leader_id?: number }).new_leader_id === next,
        );
      },
      { timeoutMs: scaled(10_000), what: 'the election event' },
    );
    await page.keyboard.press('Alt+3');
    await page.locator('#timeline-pattern').fill('hooks.cluster.*');
    const row = page.locator(
      `[data-testid="timeline-row"][data-event-id="${election.id}"]`,
    );
    await row.waitFor({ timeout: scaled(10_000) });
    expect(await row.textContent()).toContain('hooks.cluster.leader_elected');
    expect(await row.textContent()).toContain(`"new_leader_id":${next}`);
    await row.click();
    await page.getByTestId('event-detail').waitFor();
    await page.locator('#timeline-pattern').fill('');
    await page.getByText(`node ${old} killed`).first().waitFor();
    await shoot(page, 'cluster-2-timeline-election');

    // bring the killed node back for the next test
    await page.keyboard.press('Alt+1');
    await page.getByTestId(`node-${old}`).click();
    await page.getByRole('button', { name: /^Restart/ }).click();
    await waitFor(async () => (await ringRoles(page)).get(old) === 'follower', {
      timeoutMs: scaled(20_000),
      what: `node ${old} back as a follower`,
    });
    expect(browser.problems).toEqual([]);
  });

  it('shows a one-way cut, then heals and converges', async () => {
    const { page } = browser;
    const leader = await waitForRingLeader(page, { nodes: 3 });
    const follower = [...(await ringRoles(page)).keys()].find(
      (id) => id !== leader,
    )!;

    await page.getByRole('tab', { name: /One-way cut/ }).click();
    await page.getByTestId('cut-from').selectOption(String(leader));
    await page.getByTestId('cut-to').selectOption(String(follower));
    await page.getByTestId('cut-link').click();
    await page.getByTestId(`cut-${leader}-${follower}`).waitFor();
    await expect
      .poll(() => page.getByTestId('cluster-health').textContent())
      .toContain(`cut ${leader}→${follower}`);
    const status = await studio.invoke('cluster:status', {});
    expect(status.faults.cuts).toEqual([{ from: leader, to: follower }]);
    await shoot(page, 'cluster-3-cut');

    await page.getByTestId('heal').click();
    await page
      .getByTestId(`cut-${leader}-${follower}`)
      .waitFor({ state: 'detached' });
    const healed = await waitForConvergence(studio);
    expect(healed.faults.cuts).toEqual([]);

    // writes after the heal reach every node
    await studio.invoke('kv:put', { key: 'e2e/converge', value: 'yes' });
    const after = await waitForConvergence(studio);
    await waitFor(
      async () => {
        const cells = await page
          .locator('[data-testid="node-table"] tbody tr td:nth-child(5)')
          .allTextContents();
        return (
          cells.length === 3 &&
          cells.every((c) => Number(c) >= after.nodes[0]!.applied)
        );
      },
      {
        timeoutMs: scaled(10_000),
        what: 'the table to show every node applied',
      },
    );
    await expect
      .poll(() => page.getByTestId('quorum-banner').textContent())
      .toContain('Healthy');
    await shoot(page, 'cluster-3-healed');
    expect(browser.problems).toEqual([]);
  });
});
