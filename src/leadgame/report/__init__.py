"""Cohort reports: many learners' saves and room sessions, read together for a facilitator."""

from leadgame.report.collect import Report, build_report
from leadgame.report.render import render

__all__ = ["Report", "build_report", "render"]
