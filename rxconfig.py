"""Reflex configuration; every value comes from the one settings module."""

import reflex as rx
from reflex_base.plugins.sitemap import SitemapPlugin
from reflex_components_radix.plugin import RadixThemesPlugin

from jobapp.origin import SAME_ORIGIN_URL, SameOriginPlugin
from pipeline.settings import settings

config = rx.Config(
    app_name="jobapp",
    db_url=settings.db_url,
    redis_url=settings.redis_url,
    # The page dials the origin it was loaded from (jobapp/origin.py): no backend port is
    # baked into the build, so it works on any address, behind any proxy or port mapping.
    api_url=settings.public_url or SAME_ORIGIN_URL,
    trusted_proxy_hops=settings.trusted_proxy_hops,
    cors_allowed_origins=settings.cors_origins,  # closed unless CORS_ORIGINS is set (Reflex's default is "*")
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        RadixThemesPlugin(theme=rx.theme(appearance="light", accent_color="indigo", radius="medium")),
        SameOriginPlugin(),
    ],
    disable_plugins=[SitemapPlugin],
)
