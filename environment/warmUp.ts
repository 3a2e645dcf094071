import * as fs from 'node:fs';
import { createScriptTransformer } from '@jest/transform';
import type { Config } from '@jest/types';

/**
 * Transforms the test file once before this thread's node starts. Loading the transformer (and,
 * with ts-jest, TypeScript and its language service) blocks the thread for up to seconds; done
 * after the node is up, that stall looks like a dead node to its peers' failure detectors. The
 * transformer keeps its warm state, so the real run of the file pays little for it. Errors are
 * ignored here: the real run reports them.
 */
export async function warmUpTransform(projectConfig: Config.ProjectConfig, testPath: string): Promise<void> {
  try {
    const transformer = await createScriptTransformer(projectConfig);
    const source = fs.readFileSync(testPath, 'utf8');
    transformer.transform(
      testPath,
      {
        collectCoverage: false,
        collectCoverageFrom: [],
        coverageProvider: 'babel',
        supportsDynamicImport: false,
        supportsExportNamespaceFrom: false,
        supportsStaticESM: false,
        supportsTopLevelAwait: false,
      },
      source,
    );
  } catch {
    // Reported by the real run of the file.
  }
}
