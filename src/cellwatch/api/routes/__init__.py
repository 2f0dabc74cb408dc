"""The API's routes, one module per area: check, registry reads, writes, the service."""
