import { PNG } from 'pngjs';
import { barBox } from '../../src/pictures/history-svg.js';

/** `#rrggbb` of the pixel at the middle of day `index`'s bar. */
export function barColor(png: Uint8Array, index: number, count: number): string {
  const image = PNG.sync.read(Buffer.from(png));
  const box = barBox(index, count);
  const x = Math.round(box.x + box.width / 2);
  const y = Math.round(box.y + box.height / 2);
  const at = (image.width * y + x) * 4;
  return `#${[0, 1, 2].map((c) => (image.data[at + c] ?? 0).toString(16).padStart(2, '0')).join('')}`;
}
