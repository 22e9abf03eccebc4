"""The runtime: settings, the web server, one adapter per platform, the CLI."""
