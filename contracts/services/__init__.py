"""Writes of the contracts app that span models or must be atomic, one module
per area. Services take keyword arguments, never a request."""
