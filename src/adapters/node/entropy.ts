/** Randomness, tokens, ULIDs and SHA-256 from Node's crypto: the production `Entropy` and `Hasher`. */
import { createHash, randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { Entropy, Hasher } from '../../app/ports.ts';

/**
 * CSPRNG bytes drawn a page at a time: a call into OpenSSL per token (and ulid's own PRNG asks for one
 * byte per character, 16 calls per id) cost more than the rest of making an id.
 */
class RandomPool {
  readonly #bytes = Buffer.alloc(8192);
  #used = this.#bytes.length;

  take(n: number): Buffer {
    if (this.#used + n > this.#bytes.length) {
      randomFillSync(this.#bytes);
      this.#used = 0;
    }
    const slice = this.#bytes.subarray(this.#used, this.#used + n);
    this.#used += n;
    return slice;
  }

  /** A fraction in [0, 1), as ulid's PRNG contract asks. */
  fraction(): number {
    return (this.take(1)[0] as number) / 256;
  }
}

const pool = new RandomPool();
const ulid = monotonicFactory(() => pool.fraction());

export const nodeEntropy: Entropy = {
  // Jitter and tie-breaks need spread, not secrecy; tokens below use the CSPRNG.
  random: () => Math.random(),
  token: () => pool.take(12).toString('base64url'),
  ulid: (now) => ulid(now),
};

export const nodeHasher: Hasher = {
  sha256: (text) => createHash('sha256').update(text).digest('hex'),
};
