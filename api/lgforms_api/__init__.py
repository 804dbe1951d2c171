"""lgforms REST service (FastAPI). The service itself comes with the REST service issue."""
