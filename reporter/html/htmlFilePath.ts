import { createHash } from 'node:crypto';
import * as path from 'node:path';

/** The longest file name (without `.html`) a test's page gets before it is shortened. */
const MAX_NAME_LENGTH = 120;

/**
 * Where the HTML timeline of test `fullName` goes: `<outputDir>[/<projectFolder>]/<test file path
 * relative to rootDir>/<test name>.html`. Every path segment keeps only letters, digits, `.`, `_`,
 * `-` and spaces (others become `_`; `.` and `..` cannot climb out); a name that had to change or
 * is longer than 120 characters gets the start of its SHA-1 appended, so two tests never share a file.
 */
export function htmlFilePath(outputDir: string, projectFolder: string | null, relativeTestPath: string, fullName: string): string {
  return path.join(htmlFolderPath(outputDir, projectFolder, relativeTestPath), `${safeTestName(fullName)}.html`);
}

/** The folder holding the HTML timelines of one test file's tests (and nothing else). */
export function htmlFolderPath(outputDir: string, projectFolder: string | null, relativeTestPath: string): string {
  const folders = relativeTestPath.split('/').filter((segment) => segment !== '').map((segment) => safeSegment(segment));
  return path.join(outputDir, ...(projectFolder === null ? [] : [projectFolder]), ...folders);
}

/** The file name (without extension) of a test's page, as `htmlFilePath` makes it. */
export function safeTestName(fullName: string): string {
  const safe = safeSegment(fullName.trim());
  if (safe === fullName && safe.length <= MAX_NAME_LENGTH) return safe;
  const hash = createHash('sha1').update(fullName).digest('hex').slice(0, 10);
  return `${safe.slice(0, MAX_NAME_LENGTH).trimEnd()}-${hash}`;
}

function safeSegment(segment: string): string {
  const replaced = segment.replace(/[^A-Za-z0-9._ -]/g, '_');
  return replaced === '' || /^\.+$/.test(replaced) ? replaced.replace(/\./g, '_') || '_' : replaced;
}
