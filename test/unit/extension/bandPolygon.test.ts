import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandPolygon } from '../../../webviews/plot/scatterPlot';

/** Shoelace area of a polygon. */
const area = (points: readonly (readonly [number, number])[]) => Math.abs(points.reduce((sum, [x, y], i) => sum + x * points[(i + 1) % points.length][1] - points[(i + 1) % points.length][0] * y, 0)) / 2;

test('the ±10 % band of a window is the part between the two rays, clipped to the window', () => {
  // Window [0, 10] x [0, 10], rays y = x / 2 and y = 2x: the square minus the triangle below y = x / 2
  // (10 * 5 / 2 = 25) and the one above y = 2x (25 as well): 100 - 50 = 50.
  const band = bandPolygon([0, 10, 0, 10], 0.5, 2);
  assert.ok(Math.abs(area(band) - 50) < 1e-9, `area ${area(band)}`);
  for (const [x, y] of band) assert.ok(y >= 0.5 * x - 1e-9 && y <= 2 * x + 1e-9 && x >= 0 && x <= 10 && y >= 0 && y <= 10);
  // A window the band does not reach: nothing to shade.
  assert.ok(bandPolygon([10, 20, 0, 1], 0.9, 1.1).length < 3);
});
