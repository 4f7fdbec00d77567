import { Resvg } from '@resvg/resvg-js';

export interface PngFonts {
  /** Font files to load (a font the host lacks); the system's fonts are always tried too. */
  fontFiles?: readonly string[];
  /** The family used for text whose own family is missing. */
  defaultFamily?: string;
}

/**
 * SVG -> PNG bytes with resvg. Text needs a font: with none on the host the bars and colours
 * still render and only the words are missing, which is why every picture's figures also go
 * out as text.
 */
export function renderPng(svg: string, fonts: PngFonts = {}): Uint8Array {
  const resvg = new Resvg(svg, {
    font: {
      loadSystemFonts: true,
      fontFiles: [...(fonts.fontFiles ?? [])],
      defaultFontFamily: fonts.defaultFamily ?? 'DejaVu Sans',
    },
  });
  return new Uint8Array(resvg.render().asPng());
}
