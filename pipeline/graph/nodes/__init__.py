from pipeline.graph.nodes.fit import fit
from pipeline.graph.nodes.intake import intake
from pipeline.graph.nodes.pain_points import pain_points
from pipeline.graph.nodes.people import people
from pipeline.graph.nodes.publish import publish
from pipeline.graph.nodes.research import research
from pipeline.graph.nodes.writing import writing

__all__ = ["fit", "intake", "pain_points", "people", "publish", "research", "writing"]
