import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown, safeUrl } from './Markdown';

// The rendered Markdown, without the component's own wrapper element.
const render = (text: string) => renderToStaticMarkup(createElement(Markdown, { text })).replace(/^<div class="markdown">|<\/div>$/g, '');

describe('full descriptions render inert', () => {
  it('drops scripts, event handlers, frames and raw HTML', () => {
    const html = render(
      [
        '<script>alert(1)</script>',
        '<img src=x onerror="alert(2)">',
        '<iframe src="https://example.com"></iframe>',
        '<a href="javascript:alert(3)">raw</a>',
        '<div onclick="alert(4)">div</div>',
        '<svg onload="alert(5)"></svg>',
        '<style>body{display:none}</style>',
      ].join('\n\n'),
    );
    expect(html).not.toMatch(/<(script|iframe|svg|style|img|div)\b/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/javascript:/i);
  });

  it('keeps only http(s) and mailto links, opening outside the app', () => {
    const html = render(
      '[a](javascript:alert(1)) [b](data:text/html,x) [c](vbscript:x) [d](file:///etc/passwd) [e](https://example.com/x) [f](mailto:me@example.com)',
    );
    expect(html).not.toMatch(/href="(javascript|data|vbscript|file):/i);
    expect(html).toContain('<a href="https://example.com/x" target="_blank" rel="noopener noreferrer">e</a>');
    expect(html).toContain('href="mailto:me@example.com"');
    // A refused link stays readable as text.
    expect(html).toContain('<span class="md-dead-link">a</span>');
  });

  it('renders GitHub-flavoured Markdown as Docker Hub does', () => {
    const html = render('| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n- [ ] todo');
    expect(html).toContain('<table>');
    expect(html).toContain('<del>old</del>');
    expect(html).toContain('aria-label="done"');
    expect(html).not.toContain('<input');
  });

  it('treats obfuscated schemes as unsafe', () => {
    for (const url of [
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'data:image/svg+xml,<svg/onload=alert(1)>',
      '//evil.example/x',
      'relative/path',
    ]) {
      expect(safeUrl(url)).toBe('');
    }
    expect(safeUrl('HTTPS://example.com')).toBe('HTTPS://example.com');
    expect(safeUrl('#section')).toBe('#section');
  });
});
