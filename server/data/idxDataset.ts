import { DataError } from '../core/errors';
import { DATA_LIMITS, type DataLimits } from './dataLimits';
import { readIdx, readIdxHeader } from './idx';
import type { DatasetSummary, ImageDataset } from './imageDataset';

/**
 * The examples an image IDX file ([n, h, w] or [n, h, w, c]) and its label IDX file ([n]) declare,
 * checked against each other from their headers alone.
 */
function pairSummary(images: readonly number[], labels: readonly number[], imagesFile: string, labelsFile: string): DatasetSummary {
  if (images.length !== 3 && images.length !== 4) {
    throw new DataError(`expected images of rank 3 or 4 ([n, h, w(, c)]), got [${images.join(', ')}]`, imagesFile);
  }
  if (labels.length !== 1) throw new DataError(`expected labels of rank 1 ([n]), got [${labels.join(', ')}]`, labelsFile);
  const [count, h, w, c = 1] = images;
  if (labels[0] !== count) throw new DataError(`${labels[0]} labels for ${count} images in ${imagesFile}`, labelsFile);
  if (count === 0 || h === 0 || w === 0 || c === 0) throw new DataError(`holds no images: the header declares [${images.join(', ')}]`, imagesFile);
  return { count, shape: [h, w, c], source: imagesFile };
}

/** Checks an images/labels pair from the headers only (plain files' sizes included): nothing is decoded. */
export function inspectIdxDataset(imagesFile: string, labelsFile: string, limits: DataLimits = DATA_LIMITS): DatasetSummary {
  return pairSummary(readIdxHeader(imagesFile, limits).dims, readIdxHeader(labelsFile, limits).dims, imagesFile, labelsFile);
}

/** An image IDX file with its label IDX file; the headers are checked against each other before the data is read. */
export function loadIdxDataset(name: string, imagesFile: string, labelsFile: string, limits: DataLimits = DATA_LIMITS): ImageDataset {
  // Headers first: a mismatched pair fails before megabytes of data are read.
  inspectIdxDataset(imagesFile, labelsFile, limits);
  const images = readIdx(imagesFile, limits);
  const labels = readIdx(labelsFile, limits);
  const { count, shape } = pairSummary(images.dims, labels.dims, imagesFile, labelsFile);
  let classes = 0;
  for (const label of labels.data) classes = Math.max(classes, label + 1);
  return { name, shape, classes, count, pixels: images.data, labels: labels.data, source: imagesFile, labelsSource: labelsFile };
}
