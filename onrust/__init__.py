"""Onrustmonitor: media and signal monitoring for maatschappelijke onrust after calamities."""

__version__ = "0.1.0"
