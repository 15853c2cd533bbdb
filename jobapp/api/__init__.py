"""The REST API (/api/...) and the browser protections around the whole app."""

from jobapp.api.app import api_mount, build_api
from jobapp.api.security import dev_frontend_origins, install_security

__all__ = ["api_mount", "build_api", "dev_frontend_origins", "install_security"]
