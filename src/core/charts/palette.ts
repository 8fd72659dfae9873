// A product's colour in customer documents: a fixed palette, assigned in the order products are listed so every
// chart of a document agrees.
export const PALETTE = ["#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5", "#9c6b4e", "#9498a0"];

export function paletteFor(names: string[]): Map<string, string> {
  return new Map(names.map((name, i) => [name, PALETTE[i % PALETTE.length]!]));
}
