// Every built-in node type, one line each: a new node type is its definition file and its line here
// (the registry, the palette, validation and the engine all take it from this list).
export { actionKafka } from './action-kafka.ts';
export { actionLog } from './action-log.ts';
export { actionSlack } from './action-slack.ts';
export { actionWebhook } from './action-webhook.ts';
export { conditionCount } from './condition-count.ts';
export { conditionIf } from './condition-if.ts';
export { limitFrequency } from './limit-frequency.ts';
export { lookupHttp } from './lookup-http.ts';
export { triggerEvent } from './trigger-event.ts';
export { waitDelay } from './wait-delay.ts';
export { waitEvent } from './wait-event.ts';
