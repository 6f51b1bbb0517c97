import { NasError } from '../server/core/errors';
import { ExperimentStore, type ExperimentFiles } from '../server/store/experimentStore';
import { experimentsRoot } from './root';

/** An experiment by id (under the root) or by folder path; a clear error when there is none. */
export function findExperiment(idOrDir: string, root: string | undefined): ExperimentFiles {
  const files = new ExperimentStore(experimentsRoot(root)).find(idOrDir);
  if (!files) throw new NasError('not-found', `no experiment "${idOrDir}" in ${experimentsRoot(root)}`);
  return files;
}
