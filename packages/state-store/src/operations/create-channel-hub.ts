/** In-process publish/subscribe by channel name, shared by the embedded stores. */
export interface ChannelHub {
  deliver(options: { channel: string; message: string }): void;
  add(options: { channel: string; listener: (message: string) => void }): () => void;
  hasListeners(channel: string): boolean;
  channels(): string[];
}

/** Creates a {@link ChannelHub}; a throwing listener never stops delivery to the others. */
export function createChannelHub(): ChannelHub {
  const listenersByChannel = new Map<string, Set<(message: string) => void>>();
  return {
    deliver({ channel, message }) {
      const listeners = listenersByChannel.get(channel);
      if (listeners === undefined) return;
      for (const listener of [...listeners]) {
        try {
          listener(message);
        } catch {
          // a subscriber's bug is its own; the others still get the message
        }
      }
    },
    add({ channel, listener }) {
      let listeners = listenersByChannel.get(channel);
      if (listeners === undefined) {
        listeners = new Set();
        listenersByChannel.set(channel, listeners);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) listenersByChannel.delete(channel);
      };
    },
    hasListeners: (channel) => listenersByChannel.has(channel),
    channels: () => [...listenersByChannel.keys()],
  };
}
