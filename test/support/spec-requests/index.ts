// Requests generated from the contract (generated/openapi.ts) for the fuzz test, and what the
// contract says each one must get: the contract read once (contract.ts), raw values (values.ts),
// keys (keys.ts), drafts of requests (drafts.ts), and each draft built with its expected statuses
// (expectations.ts).
export { specOperations } from './contract';
export { type Draft, generators } from './drafts';
export { type Built, build, decodeQuery } from './expectations';
