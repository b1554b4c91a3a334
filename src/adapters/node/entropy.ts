/** Randomness, tokens, ULIDs and SHA-256 from Node's crypto: the production `Entropy` and `Hasher`. */
import { createHash, randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { Entropy, Hasher } from '../../app/ports.ts';

const ulid = monotonicFactory();

export const nodeEntropy: Entropy = {
  // Jitter and tie-breaks need spread, not secrecy; tokens below use the CSPRNG.
  random: () => Math.random(),
  token: () => randomBytes(12).toString('base64url'),
  ulid: (now) => ulid(now),
};

export const nodeHasher: Hasher = {
  sha256: (text) => createHash('sha256').update(text).digest('hex'),
};
