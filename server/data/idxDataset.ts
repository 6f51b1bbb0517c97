import { DataError } from '../core/errors';
import { readIdx } from './idx';
import type { ImageDataset } from './imageDataset';

/** An image IDX file ([n, h, w] or [n, h, w, c]) with its label IDX file ([n]). */
export function loadIdxDataset(name: string, imagesFile: string, labelsFile: string): ImageDataset {
  const images = readIdx(imagesFile);
  const labels = readIdx(labelsFile);
  if (images.dims.length !== 3 && images.dims.length !== 4) {
    throw new DataError(`expected images of rank 3 or 4 ([n, h, w(, c)]), got [${images.dims.join(', ')}]`, imagesFile);
  }
  if (labels.dims.length !== 1) throw new DataError(`expected labels of rank 1 ([n]), got [${labels.dims.join(', ')}]`, labelsFile);
  const [count, h, w, c = 1] = images.dims;
  if (labels.dims[0] !== count) {
    throw new DataError(`${labels.dims[0]} labels for ${count} images in ${imagesFile}`, labelsFile);
  }
  let classes = 0;
  for (const label of labels.data) classes = Math.max(classes, label + 1);
  return { name, shape: [h, w, c], classes, count, pixels: images.data, labels: labels.data, source: labelsFile };
}
