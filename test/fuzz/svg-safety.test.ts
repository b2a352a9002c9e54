import { describe, expect, it } from 'vitest';
import { assertSafeSvg } from '@tracefleet/pipeline';

const svg = (inner: string, attrs = '') => `<svg xmlns="http://www.w3.org/2000/svg"${attrs}>${inner}</svg>`;

/** Crafted SVGs that must never be cached or served: assertSafeSvg has to refuse each with UNSAFE_OUTPUT. */
const REFUSED: Record<string, string> = {
  'script element': svg('<script>alert(1)</script>'),
  'script element, upper case': svg('<SCRIPT>alert(1)</SCRIPT>'),
  'event handler on the root': svg('', ' onload="alert(1)"'),
  'event handler after a newline': svg('', '\nonload="alert(1)"'),
  'event handler after a tab': svg('<rect\tonclick="x"/>'),
  foreignObject: svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml"/></foreignObject>'),
  'external href': svg('<image href="http://evil.example/x.png"/>'),
  'external xlink:href': svg(
    '<use xlink:href="https://evil.example/x.svg#a"/>',
    ' xmlns:xlink="http://www.w3.org/1999/xlink"',
  ),
  'protocol-relative href with spaces': svg('<image href = "//evil.example/x"/>'),
  'data: URI': svg('<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/>'),
  'javascript: link': svg('<a href="javascript:alert(1)"><rect/></a>'),
  'entity-encoded javascript: link': svg('<a href="jav&#x61;script:alert(1)"><rect/></a>'),
  'javascript: in an animation': svg('<a><animate attributeName="href" values="javascript:alert(1)"/></a>'),
  'external url() in style': svg('<rect style="fill:url(http://evil.example/x)"/>'),
  'external url() in fill': svg('<rect fill="url(https://evil.example/p#g)"/>'),
  'url() in a style sheet': svg('<style>rect{fill:url(//evil.example)}</style>'),
  'CSS @import': svg('<style>@import "http://evil.example/x.css";</style>'),
  'DTD with an entity': `<!DOCTYPE svg [<!ENTITY x "y">]>${svg('&x;')}`,
  'xml-stylesheet instruction': `<?xml-stylesheet href="http://evil.example/x.css"?>${svg('')}`,
  'iframe with src': svg('<iframe src="http://evil.example"/>'),
  'not an svg document': '<html><body></body></html>',
  // Caught by the element and attribute allow-list rather than by a pattern.
  'namespaced script element': svg('<s:script>alert(1)</s:script>', ' xmlns:s="http://www.w3.org/2000/svg"'),
  'namespaced foreignObject': svg('<s:foreignObject/>', ' xmlns:s="http://www.w3.org/2000/svg"'),
  'handler after "/" (HTML-parsed inline SVG)': '<svg/onload="alert(1)"></svg>',
  '<set> pointing href outside': svg('<a><set attributeName="href" to="https://evil.example"/><rect/></a>'),
  'two documents concatenated': svg('') + svg('<rect/>'),
};

const SAFE: Record<string, string> = {
  'plain paths': svg('<path fill="#abc" d="M0 0h1v1z"/><path fill="#123456" d="M1 1h2v2z"/>'),
  'local gradient reference': svg(
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs><rect fill="url(#g)" width="1" height="1"/>',
  ),
  'group transform as the pipeline writes it': svg(
    '<g transform="matrix(.1 0 0 -.1 0 48)"><path fill="#f00" d="M10 10h100v100z"/></g>',
    ' viewBox="0 0 48 48" width="48" height="48"',
  ),
};

describe('output safety: assertSafeSvg on crafted SVGs', () => {
  it.each(Object.entries(REFUSED))('refuses %s', (_name, doc) => {
    expect(() => assertSafeSvg(doc)).toThrow(expect.objectContaining({ code: 'UNSAFE_OUTPUT' }));
  });

  it.each(Object.entries(SAFE))('accepts %s', (_name, doc) => {
    expect(() => assertSafeSvg(doc)).not.toThrow();
  });
});
