/**
 * MinHash signatures and LSH banding over word shingles: the standard near-duplicate
 * detection of Broder (1997, "On the resemblance and containment of documents") with the
 * banding of Leskovec, Rajaraman & Ullman, "Mining of Massive Datasets", ch. 3.4.
 *
 * Written here rather than taken from npm: the one package named for it (`minhash`, 0.0.9,
 * about 8k downloads a month, last published 2024) is untyped, has no banding parameters chosen
 * from a threshold and hashes with `Math.random` seeds, so its results change between runs.
 * Everything here is deterministic: the same texts give the same signatures on every machine.
 *
 * Pure functions, no I/O.
 */

/** Words of a text for shingling: lower-cased, NFKC-normalized runs of letters and digits (punctuation and spacing ignored). */
import { fnv1a32 } from "../../seeded-random";

export function shingleWords(text: string): string[] {
  return text.normalize("NFKC").toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu) ?? [];
}

export { fnv1a32 };

/** MurmurHash3's 32-bit finalizer: a bijection on 32-bit integers with full avalanche. */
export function mix32(value: number): number {
  let hash = value >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * The set of `size`-word shingles of a word list, as sorted unique 32-bit hashes. A text shorter
 * than `size` words gives one shingle of all its words; an empty text gives an empty set.
 * `wordHashes` caches the hash of each word across calls (pass the same Map for a whole dataset).
 */
export function shingleSet(words: readonly string[], size: number, wordHashes: Map<string, number>): Uint32Array {
  if (words.length === 0) return new Uint32Array(0);
  const ids = words.map((word) => {
    let hash = wordHashes.get(word);
    if (hash === undefined) {
      hash = fnv1a32(word);
      wordHashes.set(word, hash);
    }
    return hash;
  });
  const width = Math.min(size, ids.length);
  const count = ids.length - width + 1;
  const shingles = new Uint32Array(count);
  for (let start = 0; start < count; start += 1) {
    let hash = 0x9e3779b9;
    for (let offset = 0; offset < width; offset += 1) hash = mix32((hash ^ ids[start + offset]) + offset);
    shingles[start] = hash;
  }
  shingles.sort();
  let unique = 0;
  for (let index = 0; index < shingles.length; index += 1) {
    if (index === 0 || shingles[index] !== shingles[unique - 1]) shingles[unique++] = shingles[index];
  }
  return shingles.slice(0, unique);
}

/** Exact Jaccard similarity |A ∩ B| / |A ∪ B| of two sorted unique hash sets; 1 when both are empty. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared += 1;
      i += 1;
      j += 1;
    } else if (a[i] < b[j]) i += 1;
    else j += 1;
  }
  return shared / (a.length + b.length - shared);
}

/** The per-permutation seeds of a MinHash of `permutations` hash functions (splitmix32 from a fixed start, so fixed forever). */
export function minHashSeeds(permutations: number): Uint32Array {
  const seeds = new Uint32Array(permutations);
  let state = 0x2545f491;
  for (let index = 0; index < permutations; index += 1) {
    state = (state + 0x9e3779b9) >>> 0;
    seeds[index] = mix32(state);
  }
  return seeds;
}

/**
 * The MinHash signature of a shingle set: for each seed, the minimum of `mix32(shingle ^ seed)`
 * over the shingles (each seed picks one pseudo-random permutation of the 32-bit hashes). Two
 * signatures agree at a position with probability equal to the Jaccard similarity of the sets.
 * An empty set gives a signature of 0xFFFFFFFF everywhere.
 */
export function minHashSignature(shingles: Uint32Array, seeds: Uint32Array): Uint32Array {
  const signature = new Uint32Array(seeds.length).fill(0xffffffff);
  for (let s = 0; s < seeds.length; s += 1) {
    const seed = seeds[s];
    let min = 0xffffffff;
    for (let index = 0; index < shingles.length; index += 1) {
      const value = mix32(shingles[index] ^ seed);
      if (value < min) min = value;
    }
    signature[s] = min;
  }
  return signature;
}

/** Share of positions where two signatures agree: the MinHash estimate of their sets' Jaccard similarity. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let index = 0; index < a.length; index += 1) if (a[index] === b[index]) same += 1;
  return a.length === 0 ? 0 : same / a.length;
}

/** How a signature is cut into bands for LSH: `bands` × `rows` ≤ the number of permutations. */
export interface LshBanding {
  bands: number;
  rows: number;
}

/**
 * Probability that two sets of Jaccard similarity `similarity` share at least one band and so
 * become a candidate pair: 1 − (1 − s^rows)^bands (Mining of Massive Datasets, 3.4.2).
 */
export function candidateProbability(similarity: number, banding: LshBanding): number {
  return 1 - (1 - similarity ** banding.rows) ** banding.bands;
}

/**
 * Bands and rows for a similarity threshold: among all bands × rows ≤ `permutations`, the ones
 * that make a pair exactly at the threshold a candidate with probability ≥ 0.95 (pairs above it
 * even more likely), and of those the one with the least false-positive area — the integral of
 * the candidate probability below the threshold, the measure `datasketch`'s
 * `MinHashLSH._optimal_param` uses. Candidates are verified with their exact Jaccard similarity,
 * so a false positive costs only time while a false negative would lose a duplicate.
 */
export function chooseBanding(threshold: number, permutations: number): LshBanding {
  const steps = 200;
  let best: LshBanding = { bands: permutations, rows: 1 };
  let bestArea = Number.POSITIVE_INFINITY;
  for (let bands = 1; bands <= permutations; bands += 1) {
    const maxRows = Math.floor(permutations / bands);
    for (let rows = 1; rows <= maxRows; rows += 1) {
      const banding = { bands, rows };
      if (candidateProbability(threshold, banding) < 0.95) continue;
      let area = 0;
      for (let step = 0; step < steps; step += 1) area += candidateProbability(((step + 0.5) * threshold) / steps, banding) * (threshold / steps);
      if (area < bestArea - 1e-12) {
        bestArea = area;
        best = banding;
      }
    }
  }
  return best;
}

/** A 32-bit key of one band of a signature (rows `band*rows` … `band*rows + rows − 1`). */
export function bandKey(signature: Uint32Array, band: number, rows: number): number {
  let hash = 0x811c9dc5 ^ band;
  for (let row = band * rows; row < (band + 1) * rows; row += 1) hash = mix32(hash ^ signature[row]);
  return hash;
}
