"""Load the two plugins that the nbval run of the notebooks (``make test``) needs."""

pytest_plugins = ["tests.plugin_live_explorers", "tests.plugin_store_outputs"]
