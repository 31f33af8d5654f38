// Limits of what crosses between processes, each written once: ingestion refuses what is over
// them with a 4xx and a reason, and the engine checks them again on what it reads.

/** One Segment message, as JSON. */
export const MAX_MESSAGE_BYTES = 32 * 1024;
/** Objects and arrays nested in a message (properties, traits, context), the message itself being 1. */
export const MAX_MESSAGE_DEPTH = 32;
/** Messages in one /v1/batch call, and its body. */
export const MAX_BATCH_MESSAGES = 500;
export const MAX_BATCH_BYTES = 500 * 1024;

export const MAX_MESSAGE_ID_LENGTH = 200;
export const MAX_USER_ID_LENGTH = 256;
export const MAX_EVENT_NAME_LENGTH = 200;
