"""jobapp's engine: store, sources, pipeline. Never imports reflex."""
