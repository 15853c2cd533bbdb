from jobapp.components.detail import detail_panel
from jobapp.components.importer import import_dialog
from jobapp.components.runs import runs_panel
from jobapp.components.table import jobs_region

__all__ = ["detail_panel", "import_dialog", "jobs_region", "runs_panel"]
