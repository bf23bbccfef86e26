"""Turns OpenAPI specs into typed Python client packages."""

__version__ = "0.1.0"
