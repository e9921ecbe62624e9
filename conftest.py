# Shared fixtures for src/cax/**/tests and tests/browser alike.
pytest_plugins = ["cax.core.testing.fixtures"]
