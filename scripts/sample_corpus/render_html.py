"""A sample document as a page of the observatory's portal, with its boilerplate (styles,
tracker, navigation, footer) around the text."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from sample_corpus.documents import Doc
from sample_corpus.markup import marked_up, parse
from sample_corpus.vocabulary import label

HTML_HEAD_EXTRA = """  <link rel="stylesheet" href="/static/css/portail.css">
  <style>
    body { font-family: Arial, Helvetica, sans-serif; margin: 0; color: #222; }
    #bandeau { background: #7a1f5c; color: #fff; padding: 12px 24px; }
    nav ul { list-style: none; margin: 0; padding: 0; display: flex; gap: 18px; }
    main { max-width: 860px; margin: 24px auto; line-height: 1.5; }
    table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 4px 8px; }
    footer { font-size: 12px; color: #666; border-top: 1px solid #ccc; padding: 12px 24px; }
  </style>
  <script type="text/javascript">
    var _paq = window._paq || [];
    _paq.push(['trackPageView']);
    _paq.push(['enableLinkTracking']);
    (function() {
      var u = "//stats.ess-bretagne.org/";
      _paq.push(['setTrackerUrl', u + 'piwik.php']);
      _paq.push(['setSiteId', '3']);
    })();
  </script>
"""

HTML_NAV = """  <div id="bandeau">
    <div class="logo">Observatoire régional de l’ESS en Bretagne</div>
    <nav>
      <ul>
        <li><a href="/">Accueil</a></li>
        <li><a href="/observatoire/">L’observatoire</a></li>
        <li><a href="/publications/">Publications</a></li>
        <li><a href="/initiatives/">Initiatives innovantes</a></li>
        <li><a href="/agenda/">Agenda</a></li>
        <li><a href="/contact/">Contact</a></li>
      </ul>
    </nav>
    <form class="recherche" action="/recherche/"><input type="text" name="q"
      placeholder="Rechercher…"><button type="submit">OK</button></form>
  </div>
"""


def _html_inline(text: str) -> str:
    return marked_up(text, lambda words, url: f"<a href={quoteattr(url)}>{words}</a>")


def render_html(doc: Doc, path: Path) -> None:
    body: list[str] = []
    for kind, value in parse(doc.text):
        if kind in ("h1", "h2", "h3"):
            body.append(f"      <{kind}>{_html_inline(value)}</{kind}>")  # type: ignore[arg-type]
        elif kind == "p":
            body.append(f"      <p>{_html_inline(value)}</p>")  # type: ignore[arg-type]
        elif kind == "ul":
            items = "\n".join(f"        <li>{_html_inline(i)}</li>" for i in value)  # type: ignore[union-attr]
            body.append(f"      <ul>\n{items}\n      </ul>")
        elif kind == "table":
            rows: list[list[str]] = value  # type: ignore[assignment]
            # One row per line, no whitespace between cells: whitespace there ends up inside
            # the cell text of some extractors ("A\t B"), which repair then rewrites.
            def row_html(row: list[str], tag: str) -> str:
                cells = "".join(f"<{tag}>{_html_inline(c)}</{tag}>" for c in row)
                return f"        <tr>{cells}</tr>"

            lines = [row_html(rows[0], "th")] + [row_html(row, "td") for row in rows[1:]]
            body.append("      <table>\n" + "\n".join(lines) + "\n      </table>")
    page = f"""<!DOCTYPE html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(doc.title)} – Observatoire régional de l’ESS en Bretagne</title>
  <meta name="author" content={quoteattr("; ".join(doc.authors))}>
  <meta name="description" content={quoteattr(doc.summary)}>
  <meta name="keywords" content={quoteattr(", ".join(doc.keywords))}>
  <meta name="dcterms.date" content="{doc.date.isoformat()}">
  <meta name="dcterms.type" content={quoteattr(label("kind", str(doc.tags["kind"])))}>
  <meta property="og:title" content={quoteattr(doc.title)}>
{HTML_HEAD_EXTRA}</head>
<body>
{HTML_NAV}  <main>
    <p class="fil-ariane"><a href="/">Accueil</a> &gt; <a href="/publications/">Publications</a>
    </p>
    <article>
{chr(10).join(body)}
    </article>
  </main>
  <aside class="a-lire">
    <h2>À lire aussi</h2>
    <ul>
      <li><a href="/publications/lettre/">La lettre de l’observatoire</a></li>
      <li><a href="/observatoire/instances/">Les instances de l’observatoire</a></li>
    </ul>
  </aside>
  <footer>
    <p>© {doc.date.year} CRES Bretagne – Collège coopératif de Bretagne ·
      <a href="/mentions-legales/">Mentions légales</a> · <a href="/plan/">Plan du site</a></p>
  </footer>
  <script src="/static/js/jquery-1.4.2.min.js"></script>
  <script>$(function () {{ $("nav a").removeAttr("title"); }});</script>
</body>
</html>
"""
    path.write_text(page, encoding="utf-8")
