import { createStore } from 'zustand/vanilla';

interface FireState {
  topic: string;
  /** The payload as JSON text, edited before firing. */
  payload: string;
  /** Bumped when another view fills the form. */
  fillSeq: number;
  setTopic(topic: string): void;
  setPayload(payload: string): void;
  fill(topic: string, payload: unknown): void;
}

/** The test-fire form, which the timeline can fill from an event. */
export const fireStore = createStore<FireState>()((set) => ({
  topic: 'orders.created',
  payload: '{\n  "id": 7\n}',
  fillSeq: 0,
  setTopic: (topic) => set({ topic }),
  setPayload: (payload) => set({ payload }),
  fill: (topic, payload) =>
    set((state) => ({
      topic,
      payload: JSON.stringify(payload, null, 2),
      fillSeq: state.fillSeq + 1,
    })),
}));
