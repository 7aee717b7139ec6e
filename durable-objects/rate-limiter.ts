import { DurableObject } from 'cloudflare:workers';

/** Per key pair request counter (issue 4 fills in the hourly window). */
export class RateLimiter extends DurableObject {}
