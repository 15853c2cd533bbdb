"""A realistic small company web site for the research layer's tests (served by `WebServer`).

Northwind Health: a home page with a menu (about, team, news, careers, a blog behind a
robots.txt Disallow, a privacy page, an external link), an about page with founding year,
size and mission, a team page with names and roles, a news page with a funding round and a
quote from the CTO, and a careers page.
"""

from __future__ import annotations

from tests.support.web_pages import Route

ROBOTS = """# robots.txt for northwind-health
User-agent: *
Disallow: /internal/
Disallow: /blog/

User-agent: BadBot
Disallow: /
"""

NAV = """<header><nav>
<a href="/">Home</a>
<a href="/about-us">About us</a>
<a href="/team">Our team</a>
<a href="/news/">News</a>
<a href="/careers">Careers</a>
<a href="/blog/">Blog</a>
<a href="/internal/staff-directory">Staff</a>
<a href="/privacy">Privacy</a>
<a href="https://twitter.example/northwind">Twitter</a>
<a href="mailto:hello@northwind-health.example">Contact</a>
</nav></header>"""

FOOTER = "<footer><p>© 2026 Northwind Health Ltd · Registered in England · <a href='/cookies'>Cookies</a></p></footer>"


def _page(title: str, body: str) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body>{NAV}<main>{body}</main>{FOOTER}</body></html>"""


HOME = _page(
    "Northwind Health — care closer to home",
    """<article><h1>Care closer to home</h1>
<p>Northwind Health runs twelve community clinics across Yorkshire, offering same-day appointments for families.</p>
<p>Our booking app lets patients see a nurse within two hours of calling, and it is used by 40,000 people every month.</p>
<p>Book an appointment today and see how easy care can be.</p></article>""",
)

ABOUT = _page(
    "About us | Northwind Health",
    """<article><h1>About Northwind Health</h1>
<p>Northwind Health was founded in 2014 by two GPs in Leeds who wanted care to feel less like a queue.</p>
<p>Today we employ around 350 people in twelve clinics and two offices, in Leeds and York.</p>
<p>Our mission is to make good primary care available to everyone within a short walk of home.</p>
<p>We believe that nurses, not software, are the heart of a clinic.</p>
<p>Meet the <a href="/about/leadership">leadership team</a> behind it.</p></article>""",
)

TEAM = _page(
    "Our team | Northwind Health",
    """<article><h1>Our team</h1>
<p>The people who run Northwind Health.</p>
<h3>Amara Okafor — Chief Executive Officer</h3><p>Amara co-founded Northwind after ten years as a GP.</p>
<h3>Jonas Lindqvist — Head of Data Engineering</h3><p>Jonas leads the data platform team of eight engineers.</p>
<h3>Priya Raman, Talent Partner</h3><p>Priya looks after hiring across the clinics.</p>
<h3>Patient Experience</h3><p>Our patient experience group answers calls seven days a week.</p></article>""",
)

LEADERSHIP = _page(
    "Leadership | Northwind Health",
    """<article><h1>Leadership</h1><p>Amara Okafor — Chief Executive Officer. Amara co-founded Northwind after ten years as a GP and still sees patients on Fridays.</p></article>""",
)

NEWS = _page(
    "News | Northwind Health",
    """<article><h1>News</h1>
<h2>Northwind Health raises £12 million Series B</h2>
<p>March 2026. Northwind Health has raised £12 million in a Series B round led by Calder Ventures to open six more clinics.</p>
<p>"The money goes into clinics, not ads," said Tomasz Nowak, CTO of Northwind Health.</p>
<h2>New clinic in Harrogate</h2><p>Our twelfth clinic opened in Harrogate in January.</p></article>""",
)

CAREERS = _page(
    "Careers | Northwind Health",
    """<article><h1>Work with us</h1><p>We hire nurses, receptionists and engineers. All roles offer 28 days of leave.</p>
<p>See our open roles below.</p></article>""",
)

BLOG = _page("Blog", "<article><h1>Blog</h1><p>Jane Secret — Chief Blog Officer wrote this. Northwind Health was founded in 1999.</p></article>")
INTERNAL = _page("Staff directory", "<article><h1>Staff</h1><p>Hidden Person — Head of Secrets</p></article>")
PRIVACY = _page("Privacy", "<article><h1>Privacy</h1><p>We process personal data under the UK GDPR.</p></article>")


def routes() -> dict[str, Route]:
    return {
        "/robots.txt": Route(ROBOTS, content_type="text/plain; charset=utf-8"),
        "/": Route(HOME),
        "/about-us": Route(ABOUT),
        "/about/leadership": Route(LEADERSHIP),
        "/team": Route(TEAM),
        "/news/": Route(NEWS),
        "/careers": Route(CAREERS),
        "/blog/": Route(BLOG),
        "/internal/staff-directory": Route(INTERNAL),
        "/privacy": Route(PRIVACY),
    }
