"""The editor's desk: a local web app over the workspace, a sibling adapter of the CLI.

    server     binds loopback, prints the URL with a fresh token, runs uvicorn
    app        the Starlette app: routes, error mapping, the templates
    security   token (bearer or cookie), Host and Origin checks, CSP and other headers
    api        the JSON API (the pages' scripts and editors' own scripts use it)
    pages      the HTML pages, rendered with jinja2 (autoescaped); the catalogue's rows come
               from review/catalogue, the read model status and compare use too
    editing    save with a stale-hash check, unapprove, new product files
    jobs       redo and draft runs in the background, with live progress
    trial_pages  persona trials and calibration (read-only); charts: their SVG geometry;
               calibration_cache: its per-product reads, kept until a file changes

Every write goes through the same store, approval, panel and publish functions as the CLI,
so the desk follows the same rules. Nothing here imports typer or rich.
"""
