"""The headless core: scenario model, loader, conditions, engine, scoring, debrief and saves.

Pure Python plus PyYAML. Nothing here imports Textual or Rich (a test proves it), so every
interface (TUI, plain mode, workshop, reports, checker) drives the same rules.
"""
