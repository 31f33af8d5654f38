import { ROW, starter } from './starter-template.ts';

const hook = (id: string, path: string, y: number, template: string) => ({
  id,
  type: 'action.webhook',
  config: {
    url: `https://hooks.example.com/email/${path}`,
    method: 'POST' as const,
    body: { to: '{{ user.email }}', userId: '{{ event.userId }}', template },
  },
  position: { x: 0, y },
});

export const welcomeSeries = starter({
  id: 'welcome-series',
  name: 'Welcome series',
  description: 'Welcome new sign-ups, nudge those not activated after a day, then send tips three days later.',
  document: {
    name: 'Welcome series',
    nodes: [
      { id: 'signed-up', type: 'trigger.event', config: { event: 'signed_up' }, position: { x: 0, y: 0 } },
      hook('welcome', 'welcome', ROW, 'welcome'),
      { id: 'one-day', type: 'wait.delay', config: { duration: 'P1D' }, position: { x: 0, y: 2 * ROW } },
      {
        id: 'not-activated',
        type: 'condition.if',
        // Read from the profile when the delay ends, so activating in the meantime skips the nudge.
        config: { logic: { '!': [{ var: 'user.activated' }] } },
        position: { x: 0, y: 3 * ROW },
      },
      hook('nudge', 'nudge', 4 * ROW, 'activation-nudge'),
      { id: 'three-days', type: 'wait.delay', config: { duration: 'P3D' }, position: { x: 0, y: 5 * ROW } },
      hook('tips', 'tips', 6 * ROW, 'tips'),
    ],
    edges: [
      { id: 'signed-up->welcome', source: 'signed-up', target: 'welcome' },
      { id: 'welcome->one-day', source: 'welcome', target: 'one-day' },
      { id: 'one-day->not-activated', source: 'one-day', target: 'not-activated' },
      { id: 'not-activated:true', source: 'not-activated', sourceHandle: 'true', target: 'nudge' },
      { id: 'nudge->three-days', source: 'nudge', target: 'three-days' },
      { id: 'three-days->tips', source: 'three-days', target: 'tips' },
    ],
  },
});
