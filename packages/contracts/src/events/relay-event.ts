import type { QwenClientEvent } from './qwen-client-event';
import type { TokenManagerEvent } from './token-manager-event';

/** Every event the proxy receives from its token sources and its client; switch on `type`. */
export type RelayEvent = TokenManagerEvent | QwenClientEvent;

/** The `type` of every relay event. */
export type RelayEventType = RelayEvent['type'];

/** Receives events; must not throw (the packages swallow what it throws). */
export type RelayEventListener<Event extends RelayEvent = RelayEvent> = (event: Event) => void;
