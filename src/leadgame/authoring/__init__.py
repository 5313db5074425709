"""Tools for scenario authors: checker, random playthroughs, graph, schema and scaffold."""
