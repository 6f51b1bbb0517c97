import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DataError } from '../core/errors';
import type { ReportBundle } from './htmlReport';

/** Bundles and stylesheets a report inlines, read from the built extension (`dist/`, `media/`). */
export function loadReportAssets(extensionRoot: string): { bundles: ReportBundle[]; css: string[] } {
  const read = (file: string) => {
    if (!existsSync(file)) throw new DataError('missing; build the extension first (npm run build)', file);
    return readFileSync(file, 'utf8');
  };
  const bundles = ['reportView', 'plotView', 'graphView', 'progressView', 'proxylessView'].map((name) => ({
    name,
    js: read(path.join(extensionRoot, 'dist', 'webviews', `${name}.js`)),
  }));
  const css = ['views.css', 'report.css'].map((name) => read(path.join(extensionRoot, 'media', name)));
  return { bundles, css };
}
