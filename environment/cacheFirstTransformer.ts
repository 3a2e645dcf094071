/**
 * The Jest transformer a role runs in place of a ts-jest transform whose output depends only on the
 * file and the config (transpile-only, as roles run it). Its cache key is computed without loading
 * the transformer: a fingerprint of the config (the transformer's own key for a probe file, computed
 * by the lead; see `cacheFirstTransforms`) and the file's content, path and Jest's flags. The real
 * transformer, and TypeScript with it, is loaded only when Jest's transform cache misses, so a role
 * whose every module was transformed before skips loading TypeScript (about 0.35 s of CPU and 20 MB
 * of heap per role thread).
 */
import { createHash } from 'node:crypto';

/** What the lead writes as this transformer's options in a role's project config. */
export interface CacheFirstOptions {
  /** Absolute path of the real transformer module. */
  readonly transformer: string;
  /** The real transformer's options. */
  readonly options: unknown;
  /** The real transformer's cache key of a probe file under the same config (see `cacheFirstTransforms`). */
  readonly fingerprint: string;
}

/** Changes when the key's make-up changes, so older cache entries are not taken for new ones. */
const KEY_VERSION = '1';

/** The part of Jest's transform options the key reads (Jest passes more, which goes to the real transformer). */
interface TransformFlags {
  readonly instrument?: boolean;
  readonly supportsStaticESM?: boolean;
}

/** A Jest transformer, as far as this one uses it (its results are passed on as they are). */
interface Transformer {
  getCacheKey?(source: string, filePath: string, options: TransformFlags): string;
  getCacheKeyAsync?(source: string, filePath: string, options: TransformFlags): Promise<string>;
  process(source: string, filePath: string, options: TransformFlags): unknown;
  processAsync?(source: string, filePath: string, options: TransformFlags): Promise<unknown>;
}

/** Jest's factory entry point: a transformer over the real one named in `options`. */
export function createTransformer(options: CacheFirstOptions): Transformer {
  let real: Transformer | null = null;
  const load = (): Transformer => {
    if (real === null) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = require(options.transformer) as { default?: unknown };
      const module = (loaded.default ?? loaded) as Transformer | { createTransformer(options: unknown): Transformer };
      real = 'createTransformer' in module && typeof module.createTransformer === 'function' ? module.createTransformer(options.options) : (module as Transformer);
    }
    return real;
  };
  const key = (source: string, filePath: string, transformOptions: TransformFlags): string =>
    createHash('sha1')
      .update(`${KEY_VERSION}\0${options.fingerprint}\0instrument:${transformOptions.instrument ? 'on' : 'off'}\0esm:${transformOptions.supportsStaticESM ? 'on' : 'off'}\0${filePath}\0`)
      .update(source)
      .digest('hex');
  return {
    getCacheKey: key,
    getCacheKeyAsync: async (source, filePath, transformOptions) => key(source, filePath, transformOptions),
    process: (source, filePath, transformOptions) => load().process(source, filePath, transformOptions),
    processAsync: async (source, filePath, transformOptions) => {
      const transformer = load();
      return transformer.processAsync ? transformer.processAsync(source, filePath, transformOptions) : transformer.process(source, filePath, transformOptions);
    },
  };
}

// Jest takes a transformer module's default export when the module is compiled from ES syntax.
export default { createTransformer };
