"""Reading the web for the user: one pasted job link (fetch, extract, job boards).

- `pipeline.web.fetch`: `fetch(url) -> Page` with the address guard, caps and redirects; `FetchError`.
- `pipeline.web.extract`: `extract_posting(html, url=...) -> PostingDraft` (JSON-LD, main content, title).
- `pipeline.web.boards`: board links (Greenhouse, Lever, Ashby, Workday, SmartRecruiters) read
  through their public JSON; `read_posting(url)` is the one entry point for a pasted link.
"""
