/**
 * Full descriptions are (GitHub-flavoured, as on Docker Hub) Markdown written by anyone with the token (or any local tool): render them
 * inert. react-markdown never turns raw HTML into elements, rehype-sanitize strips whatever is
 * left that is not plain content (event handlers, scripts, styles), and only http(s)/mailto links
 * survive. Links open in a new window, which the Electron shell hands to the system browser.
 */
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';

const SAFE_PROTOCOL = /^(https?:|mailto:)/i;

export function safeUrl(url: string): string {
  const trimmed = url.trim();
  if (SAFE_PROTOCOL.test(trimmed)) return trimmed;
  // In-page anchors are harmless; everything else (javascript:, data:, file:, relative paths) is dropped.
  if (trimmed.startsWith('#')) return trimmed;
  return '';
}

const components: Components = {
  a: ({ href, children, node: _node, ...rest }) =>
    href ? (
      <a {...rest} href={href} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    ) : (
      <span className="md-dead-link">{children}</span>
    ),
  // Task-list boxes are read-only marks, not unlabelled form controls.
  input: ({ type, checked }) =>
    type === 'checkbox' ? (
      <span className="md-task" role="img" aria-label={checked ? 'done' : 'not done'}>
        {checked ? '☑' : '☐'}
      </span>
    ) : null,
  // A wide table scrolls sideways in its own box instead of squeezing the page (or its letters).
  table: ({ node: _node, ...rest }) => (
    <div className="md-table-scroll" tabIndex={0} role="region" aria-label="Table (scrolls sideways)">
      <table {...rest} />
    </div>
  ),
  img: ({ src, alt }) =>
    // Remote images are blocked by the CSP anyway; show what the image is of instead of a broken icon.
    typeof src === 'string' && src ? (
      <span className="md-image" title={src}>
        {alt ? `[image: ${alt}]` : '[image]'}
      </span>
    ) : null,
};

export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeSanitize]} urlTransform={safeUrl} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
}
