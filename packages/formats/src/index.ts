export { FORMAT_MEDIA, renderFormat, type Rendered } from './render.js';
export {
  parseScene,
  representativeColor,
  type Paint,
  type Scene,
  type Shape,
  type Segment,
  type Stop,
  type Rgb,
} from './scene.js';
export { renderPdf, PT_PER_PX } from './pdf.js';
export { renderEps } from './eps.js';
export { renderDxf, type DxfOptions } from './dxf.js';
export { renderPng } from './png.js';
export { flattenCubic, type Matrix } from './geometry.js';
