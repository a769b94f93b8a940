"""circular: Chinese official documents (公文) from structured data, in GB/T 9704-2012 layout."""

__version__ = "0.1.0"
