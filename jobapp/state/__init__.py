from jobapp.state.base import AppState
from jobapp.state.detail import DetailState
from jobapp.state.header import HeaderState
from jobapp.state.importer import ImportState
from jobapp.state.jobs import JobsState
from jobapp.state.matches import MatchesState
from jobapp.state.profile import ProfileState
from jobapp.state.runs import RunsState

__all__ = ["AppState", "DetailState", "HeaderState", "ImportState", "JobsState", "MatchesState", "ProfileState", "RunsState"]
